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

// Claim is one worker's hold on a job: the owner and the claim's number.
// The number is a fencing token: a later claim of the same job, even by the
// same owner after its lease expired, has another, so a worker whose lease
// was taken over can neither renew it nor record its outcome.
type Claim struct {
	ActionID int64
	Owner    string
	Token    int64
}

// ClaimJob leases the oldest ready job of one of the given systems to owner
// until leaseUntil. A job whose lease expired (its worker died) is ready
// again. It reports false when nothing is ready.
func (tx *Tx) ClaimJob(ctx context.Context, owner string, systems []string, leaseUntil time.Time) (Claim, bool, error) {
	if len(systems) == 0 {
		return Claim{}, false, nil
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
		return Claim{}, false, nil
	}
	if err != nil {
		return Claim{}, false, fmt.Errorf("find job: %w", err)
	}
	var token int64
	err = tx.QueryRowContext(ctx, `UPDATE jobs SET lease_owner=?, lease_until=?, claims=claims+1
		WHERE action_id=? AND coalesce(lease_until,0) < ? RETURNING claims`, owner, ms(leaseUntil), id, now).Scan(&token)
	if errors.Is(err, sql.ErrNoRows) {
		return Claim{}, false, nil
	}
	if err != nil {
		return Claim{}, false, fmt.Errorf("claim job: %w", err)
	}
	return Claim{ActionID: id, Owner: owner, Token: token}, true, nil
}

// RenewLease extends a claim's lease; it reports false when the claim was
// lost (its lease expired and the job was claimed again).
func (tx *Tx) RenewLease(ctx context.Context, c Claim, until time.Time) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE jobs SET lease_until=? WHERE action_id=? AND lease_owner=? AND claims=? AND lease_until >= ?`,
		ms(until), c.ActionID, c.Owner, c.Token, ms(tx.Now()))
	if err != nil {
		return false, fmt.Errorf("renew lease: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// HoldsLease says whether a claim still holds its job's lease.
func (tx *Tx) HoldsLease(ctx context.Context, c Claim) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE action_id=? AND lease_owner=? AND claims=? AND lease_until >= ?`,
		c.ActionID, c.Owner, c.Token, ms(tx.Now())).Scan(&n)
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
