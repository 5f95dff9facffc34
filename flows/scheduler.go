package flows

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/rs/zerolog"

	"github.com/offboard/offboard/storage"
)

// Tick does what is due now: opens due cases, brings held actions back on
// their until-date, and reminds approvers of actions waiting too long. All
// of it is computed from the database, so a restart or a missed tick
// loses nothing.
func (s *Service) Tick(ctx context.Context) error {
	return errors.Join(s.OpenDue(ctx), s.resurface(ctx), s.remind(ctx))
}

// RunScheduler ticks every interval (at most a minute) and whenever a case
// becomes due, and runs the dormancy scan on its cron schedule in the
// configured time zone, until ctx ends. Both run under robfig/cron with
// panic recovery and skip-if-still-running.
func (s *Service) RunScheduler(ctx context.Context, every time.Duration) error {
	if every <= 0 || every > time.Minute {
		every = 30 * time.Second
	}
	logger := cronLogger{s.log}
	c := cron.New(cron.WithLocation(s.cfg.Location()), cron.WithParser(CronParser),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	if _, err := c.AddFunc(s.cfg.Dormancy.Schedule, func() {
		if _, err := s.Scan(ctx, ScanInput{Trigger: "schedule", Actor: System}); err != nil && !errors.Is(err, ErrScanRunning) {
			s.log.Error().Err(err).Msg("scheduled dormancy scan failed")
		}
	}); err != nil {
		return fmt.Errorf("dormancy schedule: %w", err)
	}
	c.Schedule(cron.Every(every), cron.FuncJob(func() { s.tickLogged(ctx) }))
	c.Start()
	defer func() { <-c.Stop().Done() }()

	s.tickLogged(ctx) // what is due since the last run (a restart) goes now
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.wake:
			s.tickLogged(ctx)
		}
	}
}

// tickLogged runs one tick at a time (cron's and a wake's may meet).
func (s *Service) tickLogged(ctx context.Context) {
	s.tickMu.Lock()
	defer s.tickMu.Unlock()
	if err := s.safeTick(ctx); err != nil && ctx.Err() == nil {
		s.log.Error().Err(err).Msg("scheduler tick")
	}
}

func (s *Service) safeTick(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in tick: %v", p)
		}
	}()
	return s.Tick(ctx)
}

type cronLogger struct{ l zerolog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug().Fields(kv).Msg("cron: " + msg) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error().Err(err).Fields(kv).Msg("cron: " + msg)
}

// resurface brings held actions whose until-date has come back for a decision.
func (s *Service) resurface(ctx context.Context) error {
	held, err := storage.ActionsInState(ctx, s.reader(), storage.ActionHeld, 1000)
	if err != nil {
		return err
	}
	now := s.now()
	for _, a := range held {
		if a.HeldUntil.IsZero() || a.HeldUntil.After(now) {
			continue
		}
		err := s.db.Write(ctx, func(tx *storage.Tx) error {
			c, err := storage.LoadCase(ctx, tx, a.CaseID)
			if err != nil || c.State != storage.CaseOpen {
				return err
			}
			zero := time.Time{}
			ok, err := tx.ChangeAction(ctx, a.ID, storage.ActionChange{From: []string{storage.ActionHeld}, To: storage.ActionAwaitingApproval, HeldUntil: &zero})
			if err != nil || !ok {
				return err
			}
			return tx.Audit(ctx, &storage.Event{Type: storage.EventResurfaced, CaseID: c.ID, ActionID: a.ID, Actor: System.ID,
				Details: storage.Details(map[string]any{"held_by": a.HeldBy, "reason": a.HeldReason})})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// remind sends one reminder per case for actions that have waited longer
// than reminders.after, then one a day.
func (s *Service) remind(ctx context.Context) error {
	// One process reminds at a time, or two replicas would both remind.
	_, err := s.withLease(ctx, "reminders", s.remindLeased)
	return err
}

func (s *Service) remindLeased(ctx context.Context) error {
	waiting, err := storage.ActionsInState(ctx, s.reader(), storage.ActionAwaitingApproval, 5000)
	if err != nil {
		return err
	}
	now := s.now()
	after := s.cfg.Reminders.After.D()
	due := map[int64][]int64{}
	for _, a := range waiting {
		if a.AwaitingSince.IsZero() || now.Sub(a.AwaitingSince) < after {
			continue
		}
		if !a.RemindedAt.IsZero() && now.Sub(a.RemindedAt) < 24*time.Hour {
			continue
		}
		due[a.CaseID] = append(due[a.CaseID], a.ID)
	}
	ids := make([]int64, 0, len(due))
	for id := range due {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, caseID := range ids {
		actions := due[caseID]
		err := s.db.Write(ctx, func(tx *storage.Tx) error {
			c, err := storage.LoadCase(ctx, tx, caseID)
			if err != nil || c.State != storage.CaseOpen {
				return err
			}
			for _, id := range actions {
				if err := tx.MarkReminded(ctx, id); err != nil {
					return err
				}
			}
			return tx.Audit(ctx, &storage.Event{Type: storage.EventReminded, CaseID: caseID, Actor: System.ID,
				Details: storage.Details(map[string]any{"actions": actions})})
		})
		if err != nil {
			return err
		}
	}
	return nil
}
