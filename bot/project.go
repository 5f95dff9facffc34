package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// projection names the projector's cursor in the database.
const projection = "slack"

// batch is what one pass of rendering produces: state is read through q
// (never inside another writer's transaction) and the messages are
// collected, then written in one short transaction.
type batch struct {
	q    storage.Querier
	now  time.Time
	msgs []storage.OutMsg
}

func newBatch(q storage.Querier, now time.Time) *batch { return &batch{q: q, now: now} }

// enqueue adds one message to the batch.
func (b *batch) enqueue(m storage.OutMsg, p payload) error {
	raw, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode message: %w", err)
	}
	m.Payload = raw
	b.msgs = append(b.msgs, m)
	return nil
}

// flush writes the batch's messages to the outbox in tx.
func (b *batch) flush(ctx context.Context, tx *storage.Tx) error {
	for i := range b.msgs {
		if err := tx.Enqueue(ctx, &b.msgs[i]); err != nil {
			return err
		}
	}
	return nil
}

// notice is one audit event as the renderer reads it: the facts of the
// event's details that the trail and the rows need.
type notice struct {
	Event   string
	Case    storage.Case
	Actions []int64
	Actor   string
	// Text is the free text of the event: a hold's reason, a note, an
	// error, the systems a scan could not read, a refusal's kind.
	Text string
	// Attempt and Of: an attempt's number and the attempts allowed, or
	// the approvals an action has and needs.
	Attempt, Of int
	Took        time.Duration
	Until       time.Time
	ScanID      int64
	FindingID   int64
	Before      int
	Verb        string
	Resumed     bool
	// Notes and Checks: what a scan could not see, and accounts to check
	// by hand rather than call dormant.
	Notes, Checks []string
	// Seq and Hash are the event's place in the audit chain; Trigger is
	// what started a scan.
	Seq     int64
	Hash    string
	Trigger string
}

// eventDetails are the keys of audit details the renderer reads.
type eventDetails struct {
	Reason        string   `json:"reason"`
	Note          string   `json:"note"`
	Error         string   `json:"error"`
	Why           string   `json:"why"`
	Verb          string   `json:"verb"`
	Until         string   `json:"until"`
	NextAttemptAt string   `json:"next_attempt_at"`
	Attempt       int      `json:"attempt"`
	Of            int      `json:"of"`
	Approvals     int      `json:"approvals"`
	Required      int      `json:"required"`
	TookMS        int64    `json:"took_ms"`
	Resumed       bool     `json:"resumed_after_restart"`
	Actions       any      `json:"actions"`
	Skipped       []int64  `json:"skipped"`
	Before        int      `json:"before"`
	Scan          int64    `json:"scan"`
	Finding       int64    `json:"finding"`
	Failed        []string `json:"failed"`
	Trigger       string   `json:"trigger"`
	Notes         []string `json:"notes"`
	CheckByHand   []string `json:"check_by_hand"`
}

// Projector renders the audit log into Slack: every event past its cursor
// becomes thread replies, message updates and App Home refreshes, written
// to the outbox with the new cursor in one transaction, after the change
// itself committed (docs/design.md, "The projector").
type Projector struct {
	db   *storage.DB
	r    *Renderer
	log  zerolog.Logger
	wake chan struct{}
	// forget is told each user group a revocation removed someone from,
	// so that the roles it gives are read again from Slack.
	forget func(group string)
}

// NewProjector builds the projector; Wake tells it new events committed.
func NewProjector(db *storage.DB, r *Renderer, log zerolog.Logger) *Projector {
	return &Projector{db: db, r: r, log: log, wake: make(chan struct{}, 1)}
}

// Wake asks for a pass soon; it never blocks.
func (p *Projector) Wake() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run projects until ctx ends, then makes a last pass so that what was
// committed before the stop is in the outbox.
func (p *Projector) Run(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		for {
			n, err := p.Pass(ctx)
			if err != nil && ctx.Err() == nil {
				p.log.Error().Err(err).Msg("project audit events")
			}
			if err != nil || n == 0 {
				break
			}
		}
		select {
		case <-ctx.Done():
			if _, err := p.Pass(context.WithoutCancel(ctx)); err != nil {
				p.log.Error().Err(err).Msg("last projection pass")
			}
			return
		case <-p.wake:
		case <-t.C:
		}
	}
}

// errCursorMoved means another process projected the same events first.
var errCursorMoved = errors.New("projection cursor moved")

// Pass renders the next events, if any, and reports how many.
func (p *Projector) Pass(ctx context.Context) (int, error) {
	q := p.db.Reader()
	cur, err := storage.Cursor(ctx, q, projection)
	if err != nil {
		return 0, err
	}
	evs, err := storage.EventsAfter(ctx, q, cur, 100)
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	out := newBatch(q, p.r.now())
	homes := false
	for _, ev := range evs {
		p.forgetRoles(ctx, q, ev)
		changed, err := p.r.project(ctx, out, ev)
		if err != nil {
			return 0, fmt.Errorf("render event %d (%s): %w", ev.Seq, ev.Type, err)
		}
		homes = homes || changed
	}
	if homes {
		if err := p.r.refreshHomes(ctx, out); err != nil {
			return 0, err
		}
	}
	last := evs[len(evs)-1].Seq
	err = p.db.Write(ctx, func(tx *storage.Tx) error {
		ok, err := tx.AdvanceCursor(ctx, projection, cur, last)
		if err != nil {
			return err
		}
		if !ok {
			return errCursorMoved
		}
		return out.flush(ctx, tx)
	})
	if errors.Is(err, errCursorMoved) {
		return len(evs), nil // the other process rendered them; go on from its cursor
	}
	return len(evs), err
}

// forgetRoles drops the cached membership of a Slack user group a
// revocation has just removed someone from.
func (p *Projector) forgetRoles(ctx context.Context, q storage.Querier, ev storage.Event) {
	if p.forget == nil || ev.ActionID == 0 || (ev.Type != storage.EventRevoked && ev.Type != storage.EventAlreadyGone) {
		return
	}
	a, err := storage.LoadAction(ctx, q, ev.ActionID)
	if err != nil || a.System != string(connectors.Slack) {
		return
	}
	if g := decodeGrant(a); g.Ref != "" && strings.HasPrefix(g.Kind, "usergroup") {
		p.forget(g.Ref)
	}
}

// project renders one event and reports whether it changed what App Home
// shows.
func (r *Renderer) project(ctx context.Context, out *batch, ev storage.Event) (bool, error) {
	var d eventDetails
	_ = json.Unmarshal(ev.Details, &d) // details are written by flows; a missing key reads as zero
	n := notice{Event: ev.Type, Actor: ev.Actor, Verb: d.Verb, ScanID: d.Scan, FindingID: d.Finding, Before: d.Before, Resumed: d.Resumed,
		Seq: ev.Seq, Hash: ev.Hash, Trigger: d.Trigger}
	if ev.ActionID != 0 {
		n.Actions = []int64{ev.ActionID}
	}
	if ev.CaseID != 0 {
		c, err := storage.LoadCase(ctx, out.q, ev.CaseID)
		if err != nil {
			return false, err
		}
		n.Case = c
	}
	parseTime := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	switch ev.Type {
	case storage.EventRequested:
		if err := r.requested(ctx, out, n); err != nil {
			return false, err
		}
		if d.Finding != 0 {
			return true, r.dormantChanged(ctx, out, n)
		}
		return true, nil
	case storage.EventChecklistPosted:
		return true, r.opened(ctx, out, n)
	case storage.EventApproved:
		n.Attempt, n.Of = d.Approvals, d.Required
	case storage.EventHeld:
		n.Text, n.Until = d.Reason, parseTime(d.Until)
	case storage.EventDenied:
		if ev.CaseID == 0 || ev.ActionID == 0 {
			return false, nil // not about a row: only the clicker was told
		}
		n.Text = refusalWords(refusalKind(d.Why), d.Verb)
	case storage.EventExecuting:
		if d.Resumed {
			return false, nil // the thread already says it is executing
		}
	case storage.EventRevoked, storage.EventAlreadyGone:
		n.Took = time.Duration(d.TookMS) * time.Millisecond
	case storage.EventFailed:
		n.Text, n.Attempt, n.Of, n.Until = d.Error, d.Attempt, d.Of, parseTime(d.NextAttemptAt)
	case storage.EventMarkedDone:
		n.Text = d.Note
	case storage.EventResurfaced, storage.EventRetried:
	case storage.EventCancelled:
		n.Actions = d.Skipped
		return true, r.closed(ctx, out, n)
	case storage.EventCompleted:
		return true, r.closed(ctx, out, n)
	case storage.EventReminded:
		n.Actions = ids(d.Actions)
		return false, r.reminder(ctx, out, n)
	case storage.EventScanRun:
		n.Text = strings.Join(d.Failed, "\n")
		n.Notes, n.Checks = d.Notes, d.CheckByHand
		return false, r.scanReport(ctx, out, n)
	case storage.EventSnoozed:
		return false, r.dormantChanged(ctx, out, n)
	case storage.EventLinkChanged:
		var ld linkDetails
		_ = json.Unmarshal(ev.Details, &ld)
		return false, r.linkChanged(ctx, out, ev, ld)
	default:
		return false, nil // facts the trail does not show (config, discovery counts)
	}
	return ev.Type != storage.EventDenied, r.actionChanged(ctx, out, n)
}

// ids reads a JSON array of numbers decoded as []any.
func ids(v any) []int64 {
	list, _ := v.([]any)
	out := make([]int64, 0, len(list))
	for _, x := range list {
		if f, ok := x.(float64); ok {
			out = append(out, int64(f))
		}
	}
	return out
}
