package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/offboard/offboard/storage"
)

// maxEnvelopeLease is how long a worker holds an envelope without renewing
// it (Options.EnvelopeLease may shorten it); an envelope whose process died
// is taken again this long after.
const maxEnvelopeLease = 15 * time.Second

// work processes envelopes handed over by receive or found by the sweeper.
func (b *Bot) work(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case id, ok := <-b.queue:
			if !ok {
				return
			}
			b.process(ctx, id)
		}
	}
}

// sweep finds envelopes that were stored but not processed: those left by
// a crash or a restart, or that did not fit the queue.
// It stops looking when running ends (ctx) and works with workCtx.
func (b *Bot) sweep(running, workCtx context.Context) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		ids, err := storage.PendingEnvelopes(running, b.db.Reader(), time.Now(), 256)
		if err != nil && running.Err() == nil {
			b.log.Warn().Err(err).Msg("read pending envelopes")
		}
		for _, id := range ids {
			// Process here rather than through the queue, which may be
			// closed during shutdown.
			if running.Err() != nil {
				return
			}
			b.process(workCtx, id)
		}
		select {
		case <-running.Done():
			return
		case <-t.C:
		}
	}
}

// process claims one envelope and handles it. A handler that fails leaves
// the envelope pending for another try, up to a few times.
func (b *Bot) process(ctx context.Context, id int64) {
	var env storage.Envelope
	var claimed bool
	err := b.db.Write(ctx, func(tx *storage.Tx) error {
		var err error
		env, claimed, err = tx.ClaimEnvelope(ctx, id, time.Now(), time.Now().Add(b.envelopeLease))
		return err
	})
	if err != nil || !claimed {
		return
	}
	log := b.log.With().Int64("inbox", env.ID).Str("type", env.Type).Logger()
	stop := b.renewEnvelope(ctx, env.ID)
	herr := b.safeHandle(ctx, env)
	stop()
	failure := ""
	if herr != nil {
		if env.Attempts < 3 && ctx.Err() == nil {
			log.Warn().Err(herr).Int("attempt", env.Attempts).Msg("envelope failed; will retry")
			if err := b.db.Write(context.WithoutCancel(ctx), func(tx *storage.Tx) error { return tx.ReleaseEnvelope(ctx, env.ID) }); err != nil {
				log.Error().Err(err).Msg("release envelope; it is taken again when its lease ends")
			}
			return
		}
		log.Error().Err(herr).Msg("envelope failed; giving up")
		failure = herr.Error()
	}
	if err := b.db.Write(context.WithoutCancel(ctx), func(tx *storage.Tx) error { return tx.FinishEnvelope(ctx, env.ID, failure) }); err != nil {
		log.Error().Err(err).Msg("record envelope done")
	}
}

// renewEnvelope keeps the lease of an envelope being handled (a scan may
// take a while) until the returned stop is called.
func (b *Bot) renewEnvelope(ctx context.Context, id int64) func() {
	return b.db.KeepLease(ctx, b.envelopeLease/3, func(ctx context.Context, tx *storage.Tx) (bool, error) {
		return true, tx.RenewEnvelope(ctx, id, time.Now().Add(b.envelopeLease))
	}, nil)
}

func (b *Bot) safeHandle(ctx context.Context, env storage.Envelope) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return b.handle(ctx, env)
}

// handle dispatches one envelope by type.
func (b *Bot) handle(ctx context.Context, env storage.Envelope) error {
	switch env.Type {
	case socketmode.RequestTypeSlashCommands:
		var cmd slack.SlashCommand
		if err := json.Unmarshal(env.Payload, &cmd); err != nil {
			return fmt.Errorf("decode slash command: %w", err)
		}
		return b.onSlash(ctx, cmd, env.ReceivedAt)
	case socketmode.RequestTypeInteractive:
		var cb slack.InteractionCallback
		if err := json.Unmarshal(env.Payload, &cb); err != nil {
			return fmt.Errorf("decode interaction: %w", err)
		}
		return b.onInteraction(ctx, cb, env.ReceivedAt)
	case socketmode.RequestTypeEventsAPI:
		ev, err := slackevents.ParseEvent(env.Payload, slackevents.OptionNoVerifyToken())
		if err != nil {
			return fmt.Errorf("decode event: %w", err)
		}
		return b.onEvent(ctx, ev)
	}
	return nil
}
