package flows

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// ExecutorOptions tune durable execution.
type ExecutorOptions struct {
	// Lease is how long a worker owns a job before another may take it
	// (default the service's Options.Lease, at most 30 s); it is renewed
	// while the call runs.
	Lease time.Duration
	// PerSystem bounds the revocations running at once per system.
	PerSystem int
	// CallTimeout bounds one connector call.
	CallTimeout time.Duration
	// Owner names this process in leases.
	Owner string
	// Poll is how often the queue is read when nothing wakes the executor.
	Poll time.Duration
}

func (o *ExecutorOptions) defaults() {
	if o.Lease <= 0 || o.Lease > maxLease {
		o.Lease = maxLease
	}
	if o.PerSystem <= 0 {
		o.PerSystem = 4
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = 2 * time.Minute
	}
	if o.Owner == "" {
		o.Owner = fmt.Sprintf("exec-%d", time.Now().UnixNano())
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
}

// RunExecutor claims approved actions from the queue and executes them
// until ctx ends, then waits for the calls in flight. A job left by a
// crash is taken again when its lease expires; a crash is not an attempt.
func (s *Service) RunExecutor(ctx context.Context, o ExecutorOptions) {
	if o.Lease <= 0 {
		o.Lease = s.lease
	}
	o.defaults()
	var wg sync.WaitGroup
	defer wg.Wait()
	var mu sync.Mutex
	running := map[string]int{}
	done := make(chan struct{}, 1)
	for {
		for {
			mu.Lock()
			var free []string
			for _, c := range s.conns {
				sys := string(c.System())
				if running[sys] < o.PerSystem && !slices.Contains(free, sys) {
					free = append(free, sys)
				}
			}
			mu.Unlock()
			var claim storage.Claim
			var ok bool
			err := s.db.Write(ctx, func(tx *storage.Tx) error {
				var err error
				claim, ok, err = tx.ClaimJob(ctx, o.Owner, free, s.now().Add(o.Lease))
				return err
			})
			if err != nil || !ok {
				if err != nil && ctx.Err() == nil {
					s.log.Warn().Err(err).Msg("claim job")
				}
				break
			}
			a, err := storage.LoadAction(ctx, s.reader(), claim.ActionID)
			if err != nil {
				break
			}
			mu.Lock()
			running[a.System]++
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.execute(ctx, claim, o)
				mu.Lock()
				running[a.System]--
				mu.Unlock()
				select {
				case done <- struct{}{}:
				default:
				}
			}()
		}
		wait := o.Poll
		if next, err := storage.NextJobAt(ctx, s.reader()); err == nil && !next.IsZero() {
			if d := next.Sub(s.now()); d < wait {
				wait = max(d, 10*time.Millisecond)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-s.work:
		case <-done:
		case <-time.After(wait):
		}
	}
}

// execute runs one claimed job: marks it executing (the audit event is
// written first: if it cannot be, nothing is revoked), calls the connector
// while renewing the lease, and records the outcome.
func (s *Service) execute(ctx context.Context, claim storage.Claim, o ExecutorOptions) {
	id := claim.ActionID
	log := s.log.With().Int64("action", id).Logger()
	var a storage.Action
	var c storage.Case
	var run bool
	err := s.db.Write(ctx, func(tx *storage.Tx) error {
		run = false
		if held, err := tx.HoldsLease(ctx, claim); err != nil || !held {
			return err // taken over already: the new owner runs it
		}
		var err error
		a, err = storage.LoadAction(ctx, tx, id)
		if err != nil {
			return err
		}
		c, err = storage.LoadCase(ctx, tx, a.CaseID)
		if err != nil {
			return err
		}
		from := []string{storage.ActionApproved, storage.ActionAutoApproved, storage.ActionExecuting, storage.ActionFailed}
		if !slices.Contains(from, a.State) || c.State != storage.CaseOpen {
			return tx.RemoveJob(ctx, id) // cancelled or decided meanwhile
		}
		resumed := a.State == storage.ActionExecuting
		ok, err := tx.ChangeAction(ctx, id, storage.ActionChange{From: from, To: storage.ActionExecuting})
		if err != nil || !ok {
			return err
		}
		if err := tx.Audit(ctx, &storage.Event{Type: storage.EventExecuting, CaseID: c.ID, ActionID: id, Actor: System.ID,
			Details: storage.Details(map[string]any{"attempt": a.Attempts + 1, "of": a.MaxAttempts, "resumed_after_restart": resumed})}); err != nil {
			return err
		}
		run = true
		return nil
	})
	if err != nil {
		// Fail closed, and do not spin: try again after a lease's time.
		log.Error().Err(err).Msg("could not record the execution; not revoking")
		if err := s.db.Write(context.WithoutCancel(ctx), func(tx *storage.Tx) error { return tx.EnqueueJob(ctx, id, s.now().Add(o.Lease)) }); err != nil {
			log.Error().Err(err).Msg("reschedule the job; its lease expiring brings it back")
		}
		return
	}
	if !run {
		return
	}
	var g connectors.Grant
	if err := json.Unmarshal(a.Grant, &g); err != nil {
		s.finish(ctx, c, a, claim, 0, 0, &connectors.Error{System: connectors.System(a.System), Op: "read grant", Kind: connectors.KindConfig, Err: err})
		return
	}
	conn := s.conns.For(connectors.System(a.System), a.Scope)
	if conn == nil {
		s.finish(ctx, c, a, claim, 0, 0, &connectors.Error{System: connectors.System(a.System), Op: "find connector", Kind: connectors.KindConfig,
			Err: fmt.Errorf("no %s connector for %q is configured", a.System, a.Scope)})
		return
	}
	// The case's ID travels with the call, so that what the connector
	// does on the system's side (an AWS role session's name) names it.
	callCtx, cancel := context.WithTimeout(connectors.WithCase(ctx, fmt.Sprint(c.ID)), o.CallTimeout)
	lost := s.renewWhileRunning(callCtx, cancel, claim, o)
	start := time.Now()
	outcome, err := conn.Revoke(callCtx, g)
	took := time.Since(start)
	cancel()
	if ctx.Err() != nil {
		// Shutting down mid-call: leave the lease to expire; the job runs
		// again after the restart, and the revocation is idempotent.
		return
	}
	if <-lost {
		// Another worker claimed the job while this call ran (the lease
		// could not be renewed in time): the call was abandoned, and the
		// new owner's outcome is the one recorded.
		log.Warn().Msg("lease lost during the call; abandoned it to the new owner")
		return
	}
	s.finish(ctx, c, a, claim, outcome, took, err)
}

// renewWhileRunning renews the claim's lease at a third of its length
// while ctx lives. When a renewal finds the claim lost, it abandons the
// call (abort) so that two workers never revoke at once. The returned
// channel yields, once ctx has ended, whether the claim was lost.
func (s *Service) renewWhileRunning(ctx context.Context, abort context.CancelFunc, claim storage.Claim, o ExecutorOptions) <-chan bool {
	lost := make(chan bool, 1)
	var wasLost atomic.Bool
	stop := s.db.KeepLease(ctx, o.Lease/3, func(ctx context.Context, tx *storage.Tx) (bool, error) {
		return tx.RenewLease(ctx, claim, s.now().Add(o.Lease))
	}, func() { wasLost.Store(true); abort() })
	go func() { // owned: ends with ctx, which the caller cancels after the call
		<-ctx.Done()
		stop()
		lost <- wasLost.Load()
	}()
	return lost
}

// finish records the outcome of one call.
func (s *Service) finish(ctx context.Context, c storage.Case, a storage.Action, claim storage.Claim, outcome connectors.Outcome, took time.Duration, callErr error) {
	ctx = context.WithoutCancel(ctx)
	err := s.db.Write(ctx, func(tx *storage.Tx) error {
		// Another worker took the job (our lease expired during a very
		// slow call): its result is the one recorded.
		if held, err := tx.HoldsLease(ctx, claim); err != nil || !held {
			return err
		}
		if callErr == nil {
			return s.succeeded(ctx, tx, c, a, outcome, took)
		}
		return s.failed(ctx, tx, c, a, callErr)
	})
	if err != nil {
		s.log.Error().Err(err).Int64("action", a.ID).Msg("could not record an execution outcome; it will run again (idempotent)")
	}
	poke(s.work)
}

func (s *Service) succeeded(ctx context.Context, tx *storage.Tx, c storage.Case, a storage.Action, outcome connectors.Outcome, took time.Duration) error {
	word := outcome.String()
	attempts := a.Attempts + 1
	ok, err := tx.ChangeAction(ctx, a.ID, storage.ActionChange{From: []string{storage.ActionExecuting}, To: storage.ActionDone,
		Outcome: &word, Took: &took, Attempts: &attempts})
	if err != nil || !ok {
		return err
	}
	if err := tx.RemoveJob(ctx, a.ID); err != nil {
		return err
	}
	event := storage.EventRevoked
	if outcome == connectors.AlreadyGone {
		event = storage.EventAlreadyGone
	}
	if err := tx.Audit(ctx, &storage.Event{Type: event, CaseID: c.ID, ActionID: a.ID, Actor: System.ID,
		Details: storage.Details(map[string]any{"took_ms": took.Milliseconds(), "attempt": attempts, "kind": a.Kind, "account": a.Account})}); err != nil {
		return err
	}
	return s.maybeComplete(ctx, tx, c.ID)
}

func (s *Service) failed(ctx context.Context, tx *storage.Tx, c storage.Case, a storage.Action, callErr error) error {
	attempts := a.Attempts + 1
	msg := callErr.Error()
	kind := connectors.KindOf(callErr)
	exhausted := attempts >= a.MaxAttempts || kind == connectors.KindPermission || kind == connectors.KindConfig || kind == connectors.KindDecision
	if exhausted {
		attempts = max(attempts, a.MaxAttempts)
	}
	ok, err := tx.ChangeAction(ctx, a.ID, storage.ActionChange{From: []string{storage.ActionExecuting}, To: storage.ActionFailed,
		Attempts: &attempts, LastError: &msg})
	if err != nil || !ok {
		return err
	}
	var next time.Time
	if exhausted {
		if err := tx.RemoveJob(ctx, a.ID); err != nil {
			return err
		}
	} else {
		next = s.now().Add(s.backoff(attempts, connectors.RetryAfterOf(callErr)))
		if err := tx.EnqueueJob(ctx, a.ID, next); err != nil {
			return err
		}
	}
	details := map[string]any{"attempt": a.Attempts + 1, "of": a.MaxAttempts, "error": msg, "kind": kind.String(), "exhausted": exhausted}
	if !next.IsZero() {
		details["next_attempt_at"] = next.UTC().Format(time.RFC3339)
	}
	return tx.Audit(ctx, &storage.Event{Type: storage.EventFailed, CaseID: c.ID, ActionID: a.ID, Actor: System.ID, Details: storage.Details(details)})
}

// backoff is the wait before attempt n+1: exponential from backoff_min,
// capped at backoff_max, with full jitter on the upper half; at least what
// the system asked for.
func (s *Service) backoff(n int, asked time.Duration) time.Duration {
	lo, hi := s.cfg.Execution.BackoffMin.D(), s.cfg.Execution.BackoffMax.D()
	d := time.Duration(float64(lo) * math.Pow(2, float64(n-1)))
	if d > hi || d <= 0 {
		d = hi
	}
	d = d/2 + time.Duration(s.jitter()*float64(d/2))
	return max(d, asked)
}
