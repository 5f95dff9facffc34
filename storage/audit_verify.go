package storage

import (
	"context"
	"database/sql"
	"fmt"
)

// Broken names the first audit event that does not match the chain.
type Broken struct {
	Seq     int64
	Problem string
}

func (b *Broken) Error() string {
	return fmt.Sprintf("audit event %d: %s", b.Seq, b.Problem)
}

// VerifyAudit recomputes the whole hash chain and checks it against the
// anchors given. It returns the number of events checked and, when the
// chain is broken or disagrees with an anchor, a *Broken naming the first
// event that does not match; an anchor whose event is missing (a log cut
// off behind it) is broken too. Other errors are I/O errors.
func (db *DB) VerifyAudit(ctx context.Context, anchors ...Anchor) (int64, *Broken, error) {
	want := make(map[int64][]string, len(anchors))
	var highest int64
	for _, a := range anchors {
		want[a.Seq] = append(want[a.Seq], a.Hash)
		highest = max(highest, a.Seq)
	}
	// One read transaction: a consistent snapshot even while the bot appends.
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, nil, err
	}
	defer tx.Rollback()

	rows, err := tx.QueryContext(ctx, `SELECT seq, at, type, coalesce(case_id,0), coalesce(action_id,0), actor, details, prev_hash, hash
		FROM audit_events ORDER BY seq`)
	if err != nil {
		return 0, nil, fmt.Errorf("read audit events: %w", err)
	}
	defer rows.Close()

	var (
		n                    int64
		lastSeq              int64
		prevHash             = []byte(genesisHash)
		canon, scratch       []byte
		seq, caseID, actID   int64
		at, typ, actor, det  sql.RawBytes
		storedPrev, storedHa sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&seq, &at, &typ, &caseID, &actID, &actor, &det, &storedPrev, &storedHa); err != nil {
			return n, nil, fmt.Errorf("read audit event: %w", err)
		}
		if seq != lastSeq+1 {
			if lastSeq == 0 {
				return n, &Broken{Seq: seq, Problem: fmt.Sprintf("the log starts at event %d: events 1 to %d are missing", seq, seq-1)}, nil
			}
			return n, &Broken{Seq: seq, Problem: fmt.Sprintf("events %d to %d are missing (the log jumps from %d to %d)", lastSeq+1, seq-1, lastSeq, seq)}, nil
		}
		if string(storedPrev) != string(prevHash) {
			return n, &Broken{Seq: seq, Problem: "its prev_hash is not the hash of the event before it"}, nil
		}
		canon = canonical(canon[:0], seq, at, typ, caseID, actID, actor, det)
		var h string
		h, scratch = chainHash(scratch, prevHash, canon)
		if h != string(storedHa) {
			return n, &Broken{Seq: seq, Problem: "its content does not match its hash (changed after it was written)"}, nil
		}
		for _, a := range want[seq] {
			if a != string(storedHa) {
				return n, &Broken{Seq: seq, Problem: fmt.Sprintf("its hash %s differs from the anchor %s (the log was rewritten since the anchor was stated)", storedHa, Anchor{seq, a})}, nil
			}
		}
		prevHash = append(prevHash[:0], storedHa...)
		lastSeq = seq
		n++
	}
	if err := rows.Err(); err != nil {
		return n, nil, fmt.Errorf("read audit events: %w", err)
	}
	if highest > lastSeq {
		return n, &Broken{Seq: highest, Problem: fmt.Sprintf("it is missing, but an anchor names it: the log ends at event %d (cut off after the anchor was stated)", lastSeq)}, nil
	}
	var issued int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name='audit_events'),0)`).Scan(&issued); err != nil {
		return n, nil, fmt.Errorf("read audit sequence: %w", err)
	}
	if issued > lastSeq {
		return n, &Broken{Seq: lastSeq + 1, Problem: fmt.Sprintf("events %d to %d were written and are missing (the log was truncated)", lastSeq+1, issued)}, nil
	}
	return n, nil, nil
}
