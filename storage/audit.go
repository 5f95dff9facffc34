package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// The audit event types. Auditors filter on these words, so
// they never change once shipped.
const (
	EventRequested       = "requested"
	EventRefused         = "refused"
	EventScheduled       = "scheduled"
	EventOpened          = "opened"
	EventDiscovered      = "discovered"
	EventChecklistPosted = "checklist_posted"
	EventApproved        = "approved"
	EventAutoApproved    = "auto_approved"
	EventHeld            = "held"
	EventResurfaced      = "resurfaced"
	EventDenied          = "denied"
	EventExecuting       = "executing"
	EventRevoked         = "revoked"
	EventAlreadyGone     = "already_gone"
	EventFailed          = "failed"
	EventRetried         = "retried"
	EventMarkedDone      = "marked_done"
	EventCancelled       = "cancelled"
	EventCompleted       = "completed"
	EventReminded        = "reminded"
	EventScanRun         = "scan_run"
	EventSnoozed         = "snoozed"
	EventLinkChanged     = "link_changed"
	EventConfigLoaded    = "config_loaded"
)

// genesisHash is the prev_hash of the first event.
const genesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// auditTimeLayout is fixed-width UTC with milliseconds, so the text that is
// hashed is the text that is exported.
const auditTimeLayout = "2006-01-02T15:04:05.000Z"

// Event is one audit event.
type Event struct {
	Seq      int64
	At       time.Time
	Type     string
	CaseID   int64 // 0 when the event is about no case
	ActionID int64 // 0 when the event is about no action
	Actor    string
	// Details is a JSON object; nil is stored as {}.
	Details  json.RawMessage
	PrevHash string
	Hash     string
}

// Details marshals v (a struct or map) for Event.Details. Maps marshal with
// sorted keys, so the stored text is deterministic.
func Details(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		// Only values that cannot be JSON reach here: a programming error,
		// but the fact must still be recorded.
		b, _ = json.Marshal(map[string]string{"unencodable": fmt.Sprint(v)})
	}
	return b
}

// canonical is the byte string an event's hash covers: each field as its
// decimal byte length, a colon and its bytes, in the order seq, at, type,
// case_id, action_id, actor, details. Integers are decimal, 0 for none.
// Lengths make the encoding unambiguous whatever the fields contain.
func canonical(buf []byte, seq int64, at, typ []byte, caseID, actionID int64, actor, details []byte) []byte {
	field := func(b []byte, v []byte) []byte {
		b = strconv.AppendInt(b, int64(len(v)), 10)
		b = append(b, ':')
		return append(b, v...)
	}
	var num [20]byte
	buf = field(buf, strconv.AppendInt(num[:0], seq, 10))
	buf = field(buf, at)
	buf = field(buf, typ)
	buf = field(buf, strconv.AppendInt(num[:0], caseID, 10))
	buf = field(buf, strconv.AppendInt(num[:0], actionID, 10))
	buf = field(buf, actor)
	buf = field(buf, details)
	return buf
}

// chainHash is hex(SHA-256(prev_hash "\n" canonical)).
func chainHash(scratch []byte, prev []byte, canon []byte) (string, []byte) {
	scratch = append(scratch[:0], prev...)
	scratch = append(scratch, '\n')
	scratch = append(scratch, canon...)
	sum := sha256.Sum256(scratch)
	return hex.EncodeToString(sum[:]), scratch
}

// Audit appends ev to the audit log in this transaction and fills in its
// Seq, At, PrevHash and Hash. If it fails, the caller's transaction must
// fail with it: nothing happens that the log does not record.
func (tx *Tx) Audit(ctx context.Context, ev *Event) error {
	if ev.Type == "" {
		return fmt.Errorf("audit: event without type")
	}
	if ev.At.IsZero() {
		ev.At = tx.Now()
	}
	if len(ev.Details) == 0 {
		ev.Details = json.RawMessage(`{}`)
	}
	var lastSeq int64
	prev := genesisHash
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`).Scan(&lastSeq, &prev)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("audit: read chain head: %w", err)
	}
	// AUTOINCREMENT never reuses a number, so the next seq is the
	// sequence's, not max+1, even if a row was removed behind our back.
	var next int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name='audit_events'),0)+1`).Scan(&next); err != nil {
		return fmt.Errorf("audit: next seq: %w", err)
	}
	at := ev.At.UTC().Format(auditTimeLayout)
	canon := canonical(nil, next, []byte(at), []byte(ev.Type), ev.CaseID, ev.ActionID, []byte(ev.Actor), ev.Details)
	hash, _ := chainHash(nil, []byte(prev), canon)
	_, err = tx.Exec(ctx, `INSERT INTO audit_events(seq, at, type, case_id, action_id, actor, details, prev_hash, hash)
		VALUES (?,?,?,?,?,?,?,?,?)`, next, at, ev.Type, nullInt(ev.CaseID), nullInt(ev.ActionID), ev.Actor, string(ev.Details), prev, hash)
	if err != nil {
		return fmt.Errorf("audit: append %s: %w", ev.Type, err)
	}
	ev.Seq, ev.PrevHash, ev.Hash = next, prev, hash
	tx.audited = true
	ev.At, _ = time.Parse(auditTimeLayout, at)
	return nil
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// AuditHead is the newest event's seq and hash: the value to keep outside
// the database (a Slack message, a ticket) that a later verify is checked
// against, since whoever can rewrite the file can recompute the chain.
func AuditHead(ctx context.Context, q Querier) (int64, string, error) {
	var seq int64
	var hash string
	err := q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if err == sql.ErrNoRows {
		return 0, genesisHash, nil
	}
	return seq, hash, err
}
