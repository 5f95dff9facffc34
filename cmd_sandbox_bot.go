package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/sandbox/simclock"
	"github.com/offboard/offboard/sandbox/web"
	"github.com/offboard/offboard/storage"
)

// sandboxBot is the running bot as the sandbox page sees it: its audit
// log, what is due next, and a way to do what is due after the clock moved.
type sandboxBot struct {
	clock *simclock.Clock
	log   zerolog.Logger

	mu        sync.Mutex
	parts     *botParts
	lastCheck time.Time // the nightly scan ran for every night before this
}

// set is the wiring's ready hook.
func (b *sandboxBot) set(p botParts) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.parts = &p
	b.lastCheck = b.clock.Now()
}

// get returns the bot once it is built, else nil.
func (b *sandboxBot) get() web.Bot {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.parts == nil {
		return nil
	}
	return b
}

func (b *sandboxBot) p() *botParts {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.parts
}

func (b *sandboxBot) Connected() bool { return b.p().bot.Connected() }

func (b *sandboxBot) AuditHead(ctx context.Context) (int64, error) {
	seq, _, err := storage.AuditHead(ctx, b.p().db.Reader())
	return seq, err
}

// Audit reads the newest events and verifies the whole chain, as
// `offboard audit verify` does.
func (b *sandboxBot) Audit(ctx context.Context, limit int) ([]web.AuditEntry, web.Verification, error) {
	db := b.p().db
	var all []web.AuditEntry
	err := db.AuditEvents(ctx, storage.ExportFilter{}, func(ev storage.Event) error {
		all = append(all, web.AuditEntry{Seq: ev.Seq, At: ev.At, Type: ev.Type, CaseID: ev.CaseID, Actor: ev.Actor,
			Details: string(ev.Details), Hash: ev.Hash})
		return nil
	})
	if err != nil {
		return nil, web.Verification{}, err
	}
	n, broken, err := db.VerifyAudit(ctx)
	if err != nil {
		return nil, web.Verification{}, err
	}
	ver := web.Verification{Events: n, OK: broken == nil}
	if broken != nil {
		ver.Broken = broken.Error()
	}
	out := make([]web.AuditEntry, 0, min(limit, len(all)))
	for i := len(all) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, all[i])
	}
	return out, ver, nil
}

// NextDue is the earliest of: a scheduled case's effective time, a held
// action's until-date, a reminder, and the nightly dormancy scan.
func (b *sandboxBot) NextDue(ctx context.Context, now time.Time) (time.Time, string, bool) {
	p := b.p()
	q := p.db.Reader()
	cfg := p.svc.Config()
	var at time.Time
	var what string
	consider := func(t time.Time, w string) {
		if t.After(now) && (at.IsZero() || t.Before(at)) {
			at, what = t, w
		}
	}
	if cases, err := storage.ListCases(ctx, q, 100, storage.CaseScheduled); err == nil {
		for _, c := range cases {
			consider(c.EffectiveAt, fmt.Sprintf("case #%d becomes due", c.ID))
		}
	}
	if held, err := storage.ActionsInState(ctx, q, storage.ActionHeld, 1000); err == nil {
		for _, a := range held {
			if !a.HeldUntil.IsZero() {
				consider(a.HeldUntil, fmt.Sprintf("a held row of case #%d comes back", a.CaseID))
			}
		}
	}
	if waiting, err := storage.ActionsInState(ctx, q, storage.ActionAwaitingApproval, 1000); err == nil {
		after := cfg.Reminders.After.D()
		for _, a := range waiting {
			if a.AwaitingSince.IsZero() {
				continue
			}
			t := a.AwaitingSince.Add(after)
			if !a.RemindedAt.IsZero() {
				t = a.RemindedAt.Add(24 * time.Hour)
			}
			consider(t, fmt.Sprintf("approvers of case #%d are reminded", a.CaseID))
		}
	}
	if sched, err := flows.CronParser.Parse(cfg.Dormancy.Schedule); err == nil {
		consider(sched.Next(now.In(cfg.Location())), "the nightly dormancy scan runs")
	}
	return at, what, !at.IsZero()
}

// Tick does what the scheduler would do at the new time: due cases, held
// rows, reminders, and the nightly scan when the clock passed its hour.
// The bot's own scheduler runs its cron on the wall clock, so a moved clock
// would otherwise never reach the night.
func (b *sandboxBot) Tick(ctx context.Context) {
	p := b.p()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := p.svc.Tick(ctx); err != nil {
		b.log.Warn().Err(err).Msg("sandbox: tick after the clock moved")
	}
	now := b.clock.Now()
	b.mu.Lock()
	since := b.lastCheck
	b.lastCheck = now
	b.mu.Unlock()
	cfg := p.svc.Config()
	sched, err := flows.CronParser.Parse(cfg.Dormancy.Schedule)
	if err != nil || sched.Next(since.In(cfg.Location())).After(now) {
		return
	}
	if _, err := p.svc.Scan(ctx, flows.ScanInput{Trigger: "schedule", Actor: flows.System}); err != nil && !errors.Is(err, flows.ErrScanRunning) {
		b.log.Warn().Err(err).Msg("sandbox: the nightly scan after the clock moved")
	}
}
