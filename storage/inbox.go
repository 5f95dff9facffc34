package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Envelope is one Socket Mode envelope as it arrived.
type Envelope struct {
	ID         int64
	EnvelopeID string
	// DedupKey identifies the thing delivered (an event_id, a trigger_id),
	// so a redelivery under a new envelope ID is recognised too.
	DedupKey   string
	Type       string
	Payload    []byte
	ReceivedAt time.Time
	Attempts   int
}

// InsertEnvelopes stores a batch of envelopes in one transaction (one disk
// sync for the whole burst). For each it reports whether it was new; a
// redelivery is not stored again. Each payload is stored without Slack's
// verification token (see withoutToken), so callers need not remember to.
func (db *DB) InsertEnvelopes(ctx context.Context, envs []*Envelope) ([]bool, error) {
	fresh := make([]bool, len(envs))
	payloads := make([][]byte, len(envs))
	for i, e := range envs {
		payloads[i] = withoutToken(e.Payload) // outside the transaction: it holds the write lock
	}
	err := db.WriteUrgent(ctx, func(tx *Tx) error {
		now := ms(tx.Now())
		for i, e := range envs {
			var dedup any
			if e.DedupKey != "" {
				dedup = e.DedupKey
			}
			res, err := tx.Exec(ctx, `INSERT INTO inbox(envelope_id, dedup_key, type, payload, received_at) VALUES (?,?,?,?,?)
				ON CONFLICT DO NOTHING`, e.EnvelopeID, dedup, e.Type, payloads[i], now)
			if err != nil {
				return fmt.Errorf("insert envelope: %w", err)
			}
			n, _ := res.RowsAffected()
			fresh[i] = n == 1
			if fresh[i] {
				e.ID, _ = res.LastInsertId()
				e.ReceivedAt = fromMS(now)
			}
		}
		return nil
	})
	return fresh, err
}

// PendingEnvelopes lists envelopes not yet processed whose lease, if any,
// has expired: what a crash left behind.
func PendingEnvelopes(ctx context.Context, q Querier, now time.Time, limit int) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM inbox WHERE state='pending' AND coalesce(lease_until,0) < ? ORDER BY id LIMIT ?`, ms(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ClaimEnvelope leases a pending envelope to the caller until leaseUntil.
// It reports false when the envelope is done or leased by someone else.
// Leases are wall-clock times (now), whatever the database clock says.
func (tx *Tx) ClaimEnvelope(ctx context.Context, id int64, now, leaseUntil time.Time) (Envelope, bool, error) {
	res, err := tx.Exec(ctx, `UPDATE inbox SET lease_until=?, attempts=attempts+1
		WHERE id=? AND state='pending' AND coalesce(lease_until,0) < ?`, ms(leaseUntil), id, ms(now))
	if err != nil {
		return Envelope{}, false, fmt.Errorf("claim envelope: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Envelope{}, false, nil
	}
	var e Envelope
	var dedup sql.NullString
	var at int64
	err = tx.QueryRowContext(ctx, `SELECT id, envelope_id, dedup_key, type, payload, received_at, attempts FROM inbox WHERE id=?`, id).
		Scan(&e.ID, &e.EnvelopeID, &dedup, &e.Type, &e.Payload, &at, &e.Attempts)
	e.DedupKey, e.ReceivedAt = dedup.String, fromMS(at)
	return e, err == nil, err
}

// FinishEnvelope records that an envelope was processed; a non-empty
// failure marks it failed (kept for the operator, not retried).
func (tx *Tx) FinishEnvelope(ctx context.Context, id int64, failure string) error {
	state := "done"
	var errText any
	if failure != "" {
		state, errText = "failed", failure
	}
	_, err := tx.Exec(ctx, `UPDATE inbox SET state=?, processed_at=?, lease_until=NULL, error=? WHERE id=?`, state, ms(tx.Now()), errText, id)
	return err
}

// RenewEnvelope extends the lease of an envelope still being handled.
func (tx *Tx) RenewEnvelope(ctx context.Context, id int64, until time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE inbox SET lease_until=? WHERE id=? AND state='pending'`, ms(until), id)
	return err
}

// ReleaseEnvelope gives a leased envelope back, to be tried again.
func (tx *Tx) ReleaseEnvelope(ctx context.Context, id int64) error {
	_, err := tx.Exec(ctx, `UPDATE inbox SET lease_until=NULL WHERE id=? AND state='pending'`, id)
	return err
}

// InboxDepth counts envelopes not yet processed.
func InboxDepth(ctx context.Context, q Querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM inbox WHERE state='pending'`).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}
