package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Outbox operations, each delivered by the bot's sender.
const (
	OpPost      = "post"      // chat.postMessage, recording the message under MsgKey
	OpUpdate    = "update"    // chat.update of the message recorded under MsgKey
	OpEphemeral = "ephemeral" // chat.postEphemeral
	OpRespond   = "respond"   // a POST to a response_url
	OpHome      = "home"      // views.publish of a user's App Home
)

// OutMsg is one message waiting in the outbox.
type OutMsg struct {
	ID int64
	// Stream orders delivery: messages of one stream go out in ID order,
	// one at a time. A case's parent, its updates and its thread share one.
	Stream    string
	Op        string
	Channel   string
	MsgKey    string
	ThreadKey string
	Payload   []byte
	Attempts  int
	CreatedAt time.Time
}

// Enqueue adds a message to the outbox in this transaction: it leaves only
// if the state change that caused it commits.
//
// Delivery times are wall-clock: they are about Slack's rate limits, not
// about the offboarding's own time.
func (tx *Tx) Enqueue(ctx context.Context, m *OutMsg) error {
	now := ms(time.Now())
	res, err := tx.Exec(ctx, `INSERT INTO outbox(stream, op, channel, msg_key, thread_key, payload, created_at, next_try_at)
		VALUES (?,?,?,?,?,?,?,?)`, m.Stream, m.Op, m.Channel, nullStr(m.MsgKey), nullStr(m.ThreadKey), string(m.Payload), now, now)
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", m.Op, err)
	}
	m.ID, _ = res.LastInsertId()
	tx.enqueued = true
	return nil
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// OutboxHeads returns, for each stream, its oldest pending message when
// that message is due: the messages that may be sent now.
func OutboxHeads(ctx context.Context, q Querier, now time.Time, limit int) ([]OutMsg, error) {
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.stream, o.op, o.channel, coalesce(o.msg_key,''), coalesce(o.thread_key,''), o.payload, o.attempts, o.created_at
		FROM outbox o JOIN (SELECT min(id) AS id FROM outbox WHERE state='pending' GROUP BY stream) h ON o.id = h.id
		WHERE o.next_try_at <= ? ORDER BY o.id LIMIT ?`, ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []OutMsg
	for rows.Next() {
		var m OutMsg
		var payload string
		var created int64
		if err := rows.Scan(&m.ID, &m.Stream, &m.Op, &m.Channel, &m.MsgKey, &m.ThreadKey, &payload, &m.Attempts, &created); err != nil {
			return nil, err
		}
		m.Payload, m.CreatedAt = []byte(payload), fromMS(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// StartAttempt claims the next attempt at m and counts it before the call
// is made, so that after a crash the sender knows the message may already
// be in Slack. It is a compare-and-swap on the attempt count the caller
// read (m.Attempts) and on the pending state: of two senders that read the
// same row, only one wins; false means someone else claimed this attempt,
// or the message was sent or given up meanwhile, and it must not be sent.
func (tx *Tx) StartAttempt(ctx context.Context, m OutMsg) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE outbox SET attempts=attempts+1 WHERE id=? AND state='pending' AND attempts=?`, m.ID, m.Attempts)
	if err != nil {
		return false, fmt.Errorf("start attempt: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// MarkSent records delivery; for a post it records the message's ts under
// its key, in the same transaction.
func (tx *Tx) MarkSent(ctx context.Context, m OutMsg, channel, ts string) error {
	if _, err := tx.Exec(ctx, `UPDATE outbox SET state='sent', sent_at=?, error=NULL WHERE id=?`, ms(tx.Now()), m.ID); err != nil {
		return err
	}
	if m.MsgKey != "" && ts != "" && m.Op == OpPost {
		if _, err := tx.Exec(ctx, `INSERT INTO slack_messages(key, channel, ts) VALUES (?,?,?)
			ON CONFLICT(key) DO UPDATE SET channel=excluded.channel, ts=excluded.ts`, m.MsgKey, channel, ts); err != nil {
			return fmt.Errorf("record message %s: %w", m.MsgKey, err)
		}
	}
	return nil
}

// RetryLater keeps a message pending until next, with the error seen.
func (tx *Tx) RetryLater(ctx context.Context, id int64, next time.Time, errText string) error {
	_, err := tx.Exec(ctx, `UPDATE outbox SET next_try_at=?, error=? WHERE id=?`, ms(next), errText, id)
	return err
}

// GiveUp marks a message that can never be delivered (Slack refused its
// content); it is kept, with the reason, for the operator.
func (tx *Tx) GiveUp(ctx context.Context, id int64, errText string) error {
	_, err := tx.Exec(ctx, `UPDATE outbox SET state='dead', error=? WHERE id=?`, errText, id)
	return err
}

// MessageRef is where a recorded message is in Slack.
type MessageRef struct{ Channel, TS string }

// LoadMessage finds the message recorded under key.
func LoadMessage(ctx context.Context, q Querier, key string) (MessageRef, error) {
	var r MessageRef
	err := q.QueryRowContext(ctx, `SELECT channel, ts FROM slack_messages WHERE key=?`, key).Scan(&r.Channel, &r.TS)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// OutboxDepth counts messages waiting to be delivered.
func OutboxDepth(ctx context.Context, q Querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE state='pending'`).Scan(&n)
	return n, err
}

// Superseded says whether a later pending message makes m pointless: a
// newer App Home for the same user, or a newer update of the same message.
// Skipping it saves Slack calls in a burst; the newer one carries the state.
func Superseded(ctx context.Context, q Querier, m OutMsg) (bool, error) {
	var n int
	var err error
	switch m.Op {
	case OpHome:
		err = q.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE state='pending' AND stream=? AND op='home' AND id > ?`,
			m.Stream, m.ID).Scan(&n)
	case OpUpdate:
		err = q.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE state='pending' AND stream=? AND op='update' AND id > ? AND msg_key=?`,
			m.Stream, m.ID, m.MsgKey).Scan(&n)
	default:
		return false, nil
	}
	return n > 0, err
}

// ActionCount is how many actions of one system are in one state.
type ActionCount struct {
	System, State string
	N             int
}

// CountActions counts actions by system and state, for metrics.
func CountActions(ctx context.Context, q Querier) ([]ActionCount, error) {
	rows, err := q.QueryContext(ctx, `SELECT system, state, count(*) FROM actions GROUP BY system, state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ActionCount
	for rows.Next() {
		var c ActionCount
		if err := rows.Scan(&c.System, &c.State, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// HomeViewer is someone who opened the App Home.
type HomeViewer struct {
	User      string
	Approver  bool
	Requester bool
}

// SawHome records that a user opened the App Home, with their roles then.
func (tx *Tx) SawHome(ctx context.Context, v HomeViewer) error {
	_, err := tx.Exec(ctx, `INSERT INTO home_viewers(user, approver, requester, opened_at) VALUES (?,?,?,?)
		ON CONFLICT(user) DO UPDATE SET approver=excluded.approver, requester=excluded.requester, opened_at=excluded.opened_at`,
		v.User, v.Approver, v.Requester, ms(time.Now()))
	return err
}

// HomeViewers lists who opened the App Home since since, at most limit.
func HomeViewers(ctx context.Context, q Querier, since time.Time, limit int) ([]HomeViewer, error) {
	rows, err := q.QueryContext(ctx, `SELECT user, approver, requester FROM home_viewers WHERE opened_at >= ? ORDER BY opened_at DESC LIMIT ?`, ms(since), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HomeViewer
	for rows.Next() {
		var v HomeViewer
		if err := rows.Scan(&v.User, &v.Approver, &v.Requester); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
