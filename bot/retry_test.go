package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/sandbox/fakegithub"
	"github.com/offboard/offboard/storage"
)

// advanceUntil moves the clock in steps until cond holds, so retries whose
// backoff has passed run. It moves the clock only while no job is leased
// and no action is executing: a jump during a call would expire the lease
// under the worker's feet, which is a crash's behaviour, not a retry's.
func (w *world) advanceUntil(what string, step time.Duration, cond func() bool) {
	w.t.Helper()
	for i := 0; i < 200 && !cond(); i++ {
		w.waitFor("the executor to be idle", 20*time.Second, w.executorIdle)
		if cond() {
			break
		}
		w.clock.Advance(step)
		w.settle()
	}
	if !cond() {
		w.t.Fatalf("never happened: %s", what)
	}
	w.settle()
}

// executorIdle says whether no job is leased and no action is executing.
func (w *world) executorIdle() bool {
	var n int
	err := w.db.Reader().QueryRowContext(context.Background(), `SELECT (SELECT count(*) FROM jobs WHERE lease_owner IS NOT NULL)
		+ (SELECT count(*) FROM actions WHERE state = 'executing')`).Scan(&n)
	return err == nil && n == 0
}

func TestAFailingRevocationIsRetriedWithBackoffUntilItWorks(t *testing.T) {
	w := newWorld(t, worldOptions{})
	id := w.openCase(manager)
	member := w.action(id, "membership")
	w.gh.FailNext(fakegithub.RouteRemoveMember, 3, 502)
	w.click(sec1, member.ID, "Approve")
	start := w.clock.Now()
	w.advanceUntil("the membership to be removed", 10*time.Second, func() bool {
		return w.action(id, "membership").State == storage.ActionDone
	})
	for n := 1; n <= 3; n++ {
		if w.threadCount(id, "Attempt "+string(rune('0'+n))+" of 5 failed") != 1 {
			t.Errorf("the thread does not show failed attempt %d once:\n%s", n, strings.Join(w.thread(id), "\n"))
		}
	}
	if w.threadCount(id, "Revoked") != 1 || w.gh.IsMember(org, "dev-gh") {
		t.Errorf("after the failures the membership is not revoked once")
	}
	// Backoff 30 s, 60 s, 120 s at three quarters (the fixed jitter): the
	// success cannot come before 157 s of the world's time.
	if took := w.clock.Now().Sub(start); took < 157*time.Second {
		t.Errorf("three retries took %s of the world's time; the backoff was not waited", took)
	}
	if a := w.action(id, "membership"); a.Attempts != 4 {
		t.Errorf("attempts = %d; want 4", a.Attempts)
	}
}

func TestARevocationThatAlwaysFailsEndsWithRetryAndMarkDone(t *testing.T) {
	w := newWorld(t, worldOptions{})
	id := w.openCase(manager)
	member := w.action(id, "membership")
	w.gh.FailNext(fakegithub.RouteRemoveMember, 1000, 502)
	w.click(sec1, member.ID, "Approve")
	w.advanceUntil("the attempts to run out", time.Minute, func() bool {
		a := w.action(id, "membership")
		return a.State == storage.ActionFailed && a.Attempts >= a.MaxAttempts
	})
	if w.threadCount(id, "Attempt 5 of 5 failed") != 1 || w.threadCount(id, "No attempts left") != 1 {
		t.Errorf("the thread does not say the attempts ran out:\n%s", strings.Join(w.thread(id), "\n"))
	}
	last := w.thread(id)
	if !strings.Contains(strings.Join(last, "\n"), "<!subteam^S0SECURITY>: click *Retry*") {
		t.Error("the approvers were not called")
	}
	calls := w.gh.CallCount(fakegithub.RouteRemoveMember)
	if calls != 5 {
		t.Errorf("%d DELETE calls for 5 attempts", calls)
	}
	w.gh.ClearFailures()
	w.click(sec2, member.ID, "Retry")
	w.waitActions(id, "the retried membership to be removed", func([]storage.Action) bool {
		return w.action(id, "membership").State == storage.ActionDone
	})
	if w.gh.IsMember(org, "dev-gh") || w.threadCount(id, "asked to retry") != 1 {
		t.Errorf("Retry did not finish the revocation")
	}
}

func TestNothingIsRevokedWhenItsAuditEventCannotBeWritten(t *testing.T) {
	w := newWorld(t, worldOptions{})
	ctx := context.Background()
	id := w.openCase(manager)
	member := w.action(id, "membership")
	// The audit log refuses the execution's event, as a full disk would.
	must(t, w.db.Write(ctx, func(tx *storage.Tx) error {
		_, err := tx.Exec(ctx, `CREATE TRIGGER refuse_executing BEFORE INSERT ON audit_events WHEN NEW.type = 'executing'
			BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
		return err
	}))
	w.click(sec1, member.ID, "Approve")
	// The executor has tried: it claimed the job, could not record the
	// execution, and put the job back for later.
	w.waitFor("the executor to try and give the job back", 10*time.Second, func() bool {
		var claims int
		var leased bool
		err := w.db.Reader().QueryRowContext(ctx, `SELECT claims, lease_owner IS NOT NULL FROM jobs WHERE action_id=?`, member.ID).Scan(&claims, &leased)
		return err == nil && claims >= 1 && !leased
	})
	if n := w.gh.CallCount(fakegithub.RouteRemoveMember); n != 0 || !w.gh.IsMember(org, "dev-gh") {
		t.Fatalf("the member was removed (%d calls) although the audit log refused the event", n)
	}
	if a := w.action(id, "membership"); a.State != storage.ActionApproved {
		t.Errorf("the action is %s; want it still approved, waiting", a.State)
	}
	must(t, w.db.Write(ctx, func(tx *storage.Tx) error {
		_, err := tx.Exec(ctx, `DROP TRIGGER refuse_executing`)
		return err
	}))
	w.advanceUntil("the approved action to run once the log accepts it", time.Minute, func() bool {
		return w.action(id, "membership").State == storage.ActionDone
	})
	if w.gh.IsMember(org, "dev-gh") {
		t.Error("the member is still there")
	}
}
