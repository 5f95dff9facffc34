package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/bot/socket"
	"github.com/offboard/offboard/storage"
)

// storeTimeout bounds one batch's write: past it the envelopes are not
// acknowledged, and Slack's 3 s are spent anyway.
const storeTimeout = 2500 * time.Millisecond

// maxBatch caps a batch, so that a flood is acked in slices rather than
// after one long write.
const maxBatch = 512

// arrived is an envelope received and not yet acknowledged.
type arrived struct {
	env    *socket.Envelope
	stored *storage.Envelope
	ack    []byte // payload to acknowledge with (a view_submission's errors)
	skip   bool   // not stored (a form with mistakes changes nothing)
	failed string // stored as failed: the frame could not be read
}

// receive persists each envelope and only then acknowledges it (the inbox
// hand-off in docs/design.md): an acknowledged envelope survives kill -9. Reading and
// storing overlap: while one batch is being written, the next gathers, so a
// burst costs one disk sync per batch and the socket is never left unread.
// It returns when in is closed, after the last batch is stored and acked.
func (b *Bot) receive(ctx context.Context, in <-chan *socket.Envelope) {
	batches := make(chan []*arrived, 1)
	done := make(chan struct{})
	// backlog counts envelopes read and not yet acknowledged.
	var backlog atomic.Int64
	go func() { // owned: receive waits for it below
		defer close(done)
		var h handoff
		for batch := range batches {
			h.add(b.persistAndAck(ctx, batch))
			if backlog.Add(-int64(len(batch))) == 0 && len(in) == 0 || h.overdue() {
				h.flush(b.queue)
			}
		}
		h.flush(b.queue)
	}()
	defer func() { close(batches); <-done }()
	var batch []*arrived
	for {
		if len(batch) == 0 {
			env, ok := <-in
			if !ok {
				return
			}
			backlog.Add(1)
			batch = b.collect(batch, env)
			continue
		}
		select {
		case env, ok := <-in:
			if !ok {
				batches <- batch
				return
			}
			backlog.Add(1)
			batch = b.collect(batch, env)
			if len(batch) >= maxBatch {
				batches <- batch // full: wait for the writer
				batch = nil
			}
		case batches <- batch: // the writer is free: hand over what we have
			batch = nil
		}
	}
}

// collect turns what the socket read into what will be stored.
func (b *Bot) collect(batch []*arrived, env *socket.Envelope) []*arrived {
	a := &arrived{env: env}
	if env.Unreadable != nil {
		// Kept, under a name derived from the frame so a repeat is one
		// row, and recorded as failed for the operator.
		sum := sha256.Sum256(env.Raw)
		a.stored = &storage.Envelope{EnvelopeID: "unreadable:" + hex.EncodeToString(sum[:16]), Type: "unreadable", Payload: env.Raw}
		a.failed = "unreadable frame: " + env.Unreadable.Error()
		b.metrics.Envelopes.WithLabelValues("unreadable").Inc()
		b.log.Error().Err(env.Unreadable).Int("bytes", len(env.Raw)).Int("socket", env.Socket).Msg("unreadable socket mode frame stored as failed")
		return append(batch, a)
	}
	a.stored = &storage.Envelope{EnvelopeID: env.ID, Type: env.Type, Payload: env.Payload, DedupKey: env.DedupKey}
	label := env.Type
	switch env.Type {
	case "interactive":
		label += ":" + env.Kind
	case "slash_commands", "events_api":
	default:
		b.log.Warn().Str("type", env.Type).Str("envelope", env.ID).Msg("socket mode envelope of an unknown type stored")
	}
	b.metrics.Envelopes.WithLabelValues(label).Inc()
	if env.Type == "interactive" && env.Kind == "view_submission" {
		// Slack wants a form's errors in the acknowledgement itself, so a
		// form is decoded and checked now (forms are rare); a form with
		// mistakes changes nothing and is not stored.
		var cb slack.InteractionCallback
		if err := json.Unmarshal(env.Payload, &cb); err == nil {
			if resp := b.validateView(cb); resp != nil {
				a.ack, _ = json.Marshal(resp)
				a.skip = true
			}
		}
	}
	return append(batch, a)
}

// maxHold bounds how long stored envelopes wait for the acks of a flood to
// be out before the workers get them anyway.
const maxHold = 100 * time.Millisecond

// handoff holds stored envelopes back from the workers while envelopes are
// still waiting for their acks: under a flood, the work behind the first
// envelopes would otherwise take the CPU and the database from the acks of
// the last ones. The work is after the ack either way.
type handoff struct {
	held  []int64
	since time.Time
}

func (h *handoff) add(ids []int64) {
	if len(h.held) == 0 && len(ids) > 0 {
		h.since = time.Now()
	}
	h.held = append(h.held, ids...)
}

func (h *handoff) overdue() bool { return len(h.held) > 0 && time.Since(h.since) > maxHold }

// flush hands the held envelopes to the workers; what does not fit the
// queue the sweeper finds in the inbox.
func (h *handoff) flush(queue chan<- int64) {
	for _, id := range h.held {
		select {
		case queue <- id:
		default:
		}
	}
	h.held = h.held[:0]
}

// persistAndAck writes the batch, then acknowledges every envelope that is
// safely stored (new or a redelivery of one stored before). It returns the
// new envelopes, for the workers.
func (b *Bot) persistAndAck(ctx context.Context, batch []*arrived) (fresh []int64) {
	store := make([]*storage.Envelope, 0, len(batch))
	for _, a := range batch {
		if !a.skip {
			store = append(store, a.stored)
		}
	}
	// Not cancelled with ctx: what was read when the bot is told to stop
	// is still stored and acknowledged.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	var isNew []bool
	if len(store) > 0 {
		var err error
		isNew, err = b.db.InsertEnvelopes(sctx, store)
		if err != nil {
			// Not stored, so not acknowledged: Slack redelivers events,
			// and a person sees their command fail rather than vanish.
			b.log.Error().Err(err).Int("envelopes", len(store)).Msg("could not store envelopes; not acknowledging them")
			return nil
		}
	}
	i := 0
	for _, a := range batch {
		if a.env.Unreadable == nil {
			b.ackOne(a)
		}
		if a.skip {
			continue
		}
		isFresh := isNew[i]
		i++
		switch {
		case a.failed != "":
			if isFresh {
				b.markFailed(sctx, a)
			}
		case isFresh:
			fresh = append(fresh, a.stored.ID)
		default:
			b.log.Debug().Str("envelope", a.env.ID).Str("dedup", a.stored.DedupKey).Int("retry_attempt", a.env.RetryAttempt).Msg("redelivery ignored")
		}
	}
	return fresh
}

// ackOne acknowledges one stored envelope on its socket.
func (b *Bot) ackOne(a *arrived) {
	err := a.env.Ack(a.ack)
	if errors.Is(err, socket.ErrAckTooLarge) {
		// Slack would drop the frame and the person would see a timeout;
		// a bare ack at least closes the form without changing anything.
		b.log.Error().Str("envelope", a.env.ID).Msg("ack payload of 20,480 bytes or more; acknowledging without it")
		err = a.env.Ack(nil)
	}
	b.metrics.AckLatency.Observe(time.Since(a.env.Received).Seconds())
	if err != nil {
		b.log.Warn().Err(err).Str("envelope", a.env.ID).Msg("ack failed; slack redelivers an event, a click or command is lost to its sender but stored")
	}
}

// markFailed records an unreadable frame as failed, so no worker tries it.
func (b *Bot) markFailed(ctx context.Context, a *arrived) {
	err := b.db.Write(ctx, func(tx *storage.Tx) error { return tx.FinishEnvelope(ctx, a.stored.ID, a.failed) })
	if err != nil {
		b.log.Error().Err(err).Int64("inbox", a.stored.ID).Msg("record unreadable frame as failed")
	}
}
