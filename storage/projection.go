package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// EventsAfter reads up to limit audit events with seq greater than after,
// in order. Writes are serialised, so events commit in seq order and a
// reader never sees a later event without the earlier ones.
func EventsAfter(ctx context.Context, q Querier, after int64, limit int) ([]Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, at, type, coalesce(case_id,0), coalesce(action_id,0), actor, details, prev_hash, hash
		FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at, details string
		if err := rows.Scan(&e.Seq, &at, &e.Type, &e.CaseID, &e.ActionID, &e.Actor, &details, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At, _ = time.Parse(auditTimeLayout, at)
		e.Details = []byte(details)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Cursor is where the named projection stands: the last event it rendered.
func Cursor(ctx context.Context, q Querier, name string) (int64, error) {
	var seq int64
	err := q.QueryRowContext(ctx, `SELECT seq FROM projections WHERE name=?`, name).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return seq, err
}

// AdvanceCursor moves the named projection from one event to a later one,
// compare-and-swap: it reports false when another process moved it first,
// and the caller's transaction (with the messages it queued) must then be
// abandoned.
func (tx *Tx) AdvanceCursor(ctx context.Context, name string, from, to int64) (bool, error) {
	res, err := tx.Exec(ctx, `INSERT INTO projections(name, seq) VALUES (?, ?)
		ON CONFLICT(name) DO UPDATE SET seq=excluded.seq WHERE projections.seq = ?`, name, to, from)
	if err != nil {
		return false, fmt.Errorf("advance %s cursor: %w", name, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
