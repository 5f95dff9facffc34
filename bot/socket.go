package bot

import (
	"context"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/offboard/offboard/storage"
)

// arrived is an envelope received and not yet acknowledged.
type arrived struct {
	req  *socketmode.Request
	at   time.Time
	env  *storage.Envelope
	ack  any // payload to acknowledge with (a view_submission's errors)
	skip bool
}

// receive reads the socket's events, persists each envelope and only then
// acknowledges it (PRODUCT §5): an acknowledged envelope survives kill -9.
// Reading and storing overlap: while one batch is being written, the next
// gathers, so a burst costs one disk sync per batch and the socket is
// never left unread.
func (b *Bot) receive(ctx context.Context) {
	batches := make(chan []*arrived, 1)
	done := make(chan struct{})
	go func() { // owned: receive waits for it below
		defer close(done)
		for batch := range batches {
			b.persistAndAck(ctx, batch)
		}
	}()
	defer func() { close(batches); <-done }()
	var batch []*arrived
	for {
		if len(batch) == 0 {
			select {
			case <-ctx.Done():
				return
			case evt, ok := <-b.sm.Events:
				if !ok {
					return
				}
				batch = b.collect(batch, evt)
			}
			continue
		}
		select {
		case <-ctx.Done():
			return
		case evt, ok := <-b.sm.Events:
			if !ok {
				return
			}
			batch = b.collect(batch, evt)
			if len(batch) < 512 {
				continue
			}
			batches <- batch // full: wait for the writer
			batch = nil
		case batches <- batch: // the writer is free: hand over what we have
			batch = nil
		}
	}
}

// collect notes connection state changes and gathers envelopes.
func (b *Bot) collect(batch []*arrived, evt socketmode.Event) []*arrived {
	switch evt.Type {
	case socketmode.EventTypeConnected, socketmode.EventTypeHello:
		if !b.connected.Swap(true) {
			b.log.Info().Msg("socket mode connected")
		}
		return batch
	case socketmode.EventTypeConnecting, socketmode.EventTypeDisconnect, socketmode.EventTypeConnectionError:
		if b.connected.Swap(false) {
			b.log.Warn().Str("event", string(evt.Type)).Msg("socket mode disconnected; reconnecting")
		}
		return batch
	case socketmode.EventTypeInvalidAuth:
		b.connected.Store(false)
		b.log.Error().Msg("slack refused the app-level token (SLACK_APP_TOKEN)")
		return batch
	case socketmode.EventTypeErrorBadMessage:
		b.log.Warn().Msg("unreadable socket mode message ignored")
		return batch
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
	default:
		return batch
	}
	if evt.Request == nil || evt.Request.EnvelopeID == "" {
		return batch
	}
	a := &arrived{req: evt.Request, at: time.Now()}
	a.env = &storage.Envelope{EnvelopeID: evt.Request.EnvelopeID, Type: evt.Request.Type, Payload: evt.Request.Payload, DedupKey: dedupKey(evt)}
	b.metrics.Envelopes.WithLabelValues(envelopeLabel(evt)).Inc()
	if cb, ok := evt.Data.(slack.InteractionCallback); ok && cb.Type == slack.InteractionTypeViewSubmission {
		// Slack wants a form's errors in the acknowledgement itself, so
		// a form is checked now; a form with mistakes changes nothing
		// and is not stored.
		if resp := b.validateView(cb); resp != nil {
			a.ack, a.skip = resp, true
		}
	}
	return append(batch, a)
}

// persistAndAck writes the batch, then acknowledges every envelope that is
// safely stored (new or a redelivery of one stored before).
func (b *Bot) persistAndAck(ctx context.Context, batch []*arrived) {
	var store []*storage.Envelope
	for _, a := range batch {
		if !a.skip {
			store = append(store, a.env)
		}
	}
	var fresh []bool
	if len(store) > 0 {
		var err error
		fresh, err = b.db.InsertEnvelopes(ctx, store)
		if err != nil {
			// Not stored, so not acknowledged: Slack redelivers events,
			// and a person sees their command fail rather than vanish.
			b.log.Error().Err(err).Int("envelopes", len(store)).Msg("could not store envelopes; not acknowledging them")
			return
		}
	}
	i := 0
	for _, a := range batch {
		var err error
		if a.ack != nil {
			err = b.sm.AckCtx(ctx, a.req.EnvelopeID, a.ack)
		} else {
			err = b.sm.AckCtx(ctx, a.req.EnvelopeID, nil)
		}
		b.metrics.AckLatency.Observe(time.Since(a.at).Seconds())
		if err != nil {
			b.log.Warn().Err(err).Str("envelope", a.req.EnvelopeID).Msg("ack failed")
		}
		if a.skip {
			continue
		}
		if fresh[i] {
			select {
			case b.queue <- a.env.ID:
			default: // full: the sweeper finds it in the inbox
			}
		} else {
			b.log.Debug().Str("envelope", a.req.EnvelopeID).Str("dedup", a.env.DedupKey).Msg("redelivery ignored")
		}
		i++
	}
}

// dedupKey names what an envelope delivers, so a redelivery under another
// envelope ID is recognised: an event's event_id, an interaction's or
// command's trigger_id. It reads what slack-go already parsed.
func dedupKey(evt socketmode.Event) string {
	switch d := evt.Data.(type) {
	case slack.SlashCommand:
		if d.TriggerID != "" {
			return "trigger:" + d.TriggerID
		}
	case slack.InteractionCallback:
		if d.TriggerID != "" {
			return "trigger:" + d.TriggerID
		}
	case slackevents.EventsAPIEvent:
		if cb, ok := d.Data.(*slackevents.EventsAPICallbackEvent); ok && cb.EventID != "" {
			return "event:" + cb.EventID
		}
	}
	return ""
}

func envelopeLabel(evt socketmode.Event) string {
	if cb, ok := evt.Data.(slack.InteractionCallback); ok {
		return string(evt.Type) + ":" + string(cb.Type)
	}
	return string(evt.Type)
}
