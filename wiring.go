package main

import (
	"context"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"

	"github.com/offboard/offboard/bot"
	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/storage"
)

// wiring is what differs between `run` against the real services and
// `sandbox` against the simulated company. Its zero value is production:
// the wall clock, the AWS SDK's own credential chain, a 30 s scheduler tick
// and the sender's defaults. Everything else is built the same way for both.
type wiring struct {
	// clock is the time of the bot, its storage and its connectors; nil
	// means time.Now. The sandbox moves it with the fakes' clocks.
	clock func() time.Time
	// aws replaces the SDK's credential chain (the sandbox's fake IAM).
	aws *awssdk.Config
	// tick is the scheduler's interval; zero means 30 s.
	tick time.Duration
	// sender tunes the outbox sender.
	sender bot.SenderOptions
	// ready, when set, is handed the built parts before they run, so the
	// sandbox can show the audit log and nudge the scheduler.
	ready func(botParts)
}

// botParts are the running bot's parts the sandbox page reads.
type botParts struct {
	db  *storage.DB
	svc *flows.Service
	bot *bot.Bot
}

func (w wiring) now() func() time.Time {
	if w.clock == nil {
		return time.Now
	}
	return w.clock
}

func (w wiring) schedulerTick() time.Duration {
	if w.tick <= 0 {
		return 30 * time.Second
	}
	return w.tick
}

func (w wiring) awsConfig(ctx context.Context) (awssdk.Config, error) {
	if w.aws != nil {
		return *w.aws, nil
	}
	return awsCredentials(ctx)
}
