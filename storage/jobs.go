package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// EnqueueJob queues an action for execution at runAt (now for a fresh
// approval, later for a retry), clearing any lease.
func (tx *Tx) EnqueueJob(ctx context.Context, actionID int64, runAt time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO jobs(action_id, run_at) VALUES (?,?)
		ON CONFLICT(action_id) DO UPDATE SET run_at=excluded.run_at, lease_owner=NULL, lease_until=NULL`, actionID, ms(runAt))
	if err != nil {
		return fmt.Errorf("enqueue job: %w", err)
	}
	return nil
}

// ClaimJob leases the oldest ready job of one of the given systems to owner
// until leaseUntil. A job whose lease expired (its worker died) is ready
// again. It reports false when nothing is ready.
func (tx *Tx) ClaimJob(ctx context.Context, owner string, systems []string, leaseUntil time.Time) (int64, bool, error) {
	if len(systems) == 0 {
		return 0, false, nil
	}
	now := ms(tx.Now())
	args := []any{now, now}
	for _, s := range systems {
		args = append(args, s)
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT j.action_id FROM jobs j JOIN actions a ON a.id = j.action_id
		WHERE j.run_at <= ? AND coalesce(j.lease_until,0) < ? AND a.system IN (`+placeholders(len(systems))+`)
		ORDER BY j.run_at, j.action_id LIMIT 1`, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("find job: %w", err)
	}
	res, err := tx.Exec(ctx, `UPDATE jobs SET lease_owner=?, lease_until=?, claims=claims+1
		WHERE action_id=? AND coalesce(lease_until,0) < ?`, owner, ms(leaseUntil), id, now)
	if err != nil {
		return 0, false, fmt.Errorf("claim job: %w", err)
	}
	n, _ := res.RowsAffected()
	return id, n == 1, nil
}

// RenewLease extends owner's lease on a job; it reports false when the
// lease was lost (expired and taken by another worker).
func (tx *Tx) RenewLease(ctx context.Context, actionID int64, owner string, until time.Time) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE jobs SET lease_until=? WHERE action_id=? AND lease_owner=?`, ms(until), actionID, owner)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// HoldsLease says whether owner still holds the job's lease.
func (tx *Tx) HoldsLease(ctx context.Context, actionID int64, owner string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE action_id=? AND lease_owner=? AND lease_until >= ?`,
		actionID, owner, ms(tx.Now())).Scan(&n)
	return n == 1, err
}

// RemoveJob takes a job off the queue (executed, given up or cancelled).
func (tx *Tx) RemoveJob(ctx context.Context, actionID int64) error {
	_, err := tx.Exec(ctx, `DELETE FROM jobs WHERE action_id=?`, actionID)
	return err
}

// NextJobAt is when the next job becomes ready (or its lease expires);
// zero when the queue is empty.
func NextJobAt(ctx context.Context, q Querier) (time.Time, error) {
	var v sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT min(max(run_at, coalesce(lease_until,0))) FROM jobs`).Scan(&v)
	if err != nil || !v.Valid {
		return time.Time{}, err
	}
	return fromMS(v.Int64), nil
}

// QueueDepth counts queued jobs.
func QueueDepth(ctx context.Context, q Querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM jobs`).Scan(&n)
	return n, err
}

// Lease takes or renews the named lease for owner until until (wall-clock
// time); it reports false when another owner holds it unexpired. It keeps
// one dormancy scan, one discovery of a case, one reminder pass running at
// a time across processes.
func (tx *Tx) Lease(ctx context.Context, name, owner string, until time.Time) (bool, error) {
	res, err := tx.Exec(ctx, `INSERT INTO leases(name, owner, until) VALUES (?,?,?)
		ON CONFLICT(name) DO UPDATE SET owner=excluded.owner, until=excluded.until
		WHERE leases.owner = excluded.owner OR leases.until < ?`, name, owner, ms(until), ms(time.Now()))
	if err != nil {
		return false, fmt.Errorf("lease %s: %w", name, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ReleaseLease gives the named lease up if owner holds it.
func (tx *Tx) ReleaseLease(ctx context.Context, name, owner string) error {
	_, err := tx.Exec(ctx, `DELETE FROM leases WHERE name=? AND owner=?`, name, owner)
	return err
}
