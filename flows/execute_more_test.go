package flows

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// fast is an executor that notices new jobs within milliseconds.
var fast = ExecutorOptions{Poll: 5 * time.Millisecond, Owner: "w"}

// waitState waits until the action is in state.
func (r *rig) waitState(id int64, state string) storage.Action {
	r.t.Helper()
	r.waitFor("action to be "+state, func() bool { return r.action(id).State == state })
	return r.action(id)
}

// approved opens a case with the rig's grants, runs the executor and
// approves the first action.
func (r *rig) approved() (storage.Case, storage.Action) {
	r.t.Helper()
	c := r.open()
	a := r.actions(c.ID)[0]
	r.runExecutor(fast)
	if err := r.svc.Approve(r.ctx, sec1, c.ID, a.ID); err != nil {
		r.t.Fatal(err)
	}
	return c, a
}

func TestARevocationThatSucceedsIsDoneAndCompletesTheCase(t *testing.T) {
	for _, tc := range []struct {
		outcome connectors.Outcome
		event   string
	}{
		{connectors.Revoked, storage.EventRevoked},
		{connectors.AlreadyGone, storage.EventAlreadyGone},
	} {
		t.Run(tc.event, func(t *testing.T) {
			r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1", Title: "user group @ops"})
			r.conn.revoke = func(ctx context.Context, g connectors.Grant, n int) (connectors.Outcome, error) {
				return tc.outcome, nil
			}
			c, a := r.approved()
			got := r.waitState(a.ID, storage.ActionDone)
			if got.Outcome != tc.outcome.String() || got.Attempts != 1 || got.FinishedAt.IsZero() {
				t.Errorf("done action %+v", got)
			}
			if _, queued := r.job(a.ID); queued {
				t.Error("the job is still queued")
			}
			x := r.last(storage.EventExecuting)
			if x.ActionID != a.ID || x.Details["attempt"] != 1.0 || x.Details["of"] != 5.0 || x.Details["resumed_after_restart"] != false {
				t.Errorf("executing event %+v", x.Details)
			}
			e := r.last(tc.event)
			if _, ok := e.Details["took_ms"].(float64); !ok || e.Details["attempt"] != 1.0 || e.Details["kind"] != "usergroup" ||
				e.Details["account"] != target.SlackID || e.Actor != System.ID {
				t.Errorf("%s event %+v", tc.event, e.Details)
			}
			r.waitFor("the case to complete", func() bool { return r.load(c.ID).State == storage.CaseCompleted })
			done := r.last(storage.EventCompleted)
			if done.CaseID != c.ID || done.Details["actions"] != 1.0 || done.Details["done"] != 1.0 || done.Details["skipped"] != 0.0 {
				t.Errorf("completed event %+v", done.Details)
			}
			if cs := r.load(c.ID); cs.ClosedBy != System.ID || cs.ClosedAt.IsZero() {
				t.Errorf("completed case closed by %q at %v", cs.ClosedBy, cs.ClosedAt)
			}
			if n := r.conn.Calls("S1"); n != 1 {
				t.Errorf("%d calls; want 1", n)
			}
		})
	}
}

func TestAFailedRevocationIsRetriedOrGivenUpByItsKind(t *testing.T) {
	typed := func(k connectors.ErrorKind, after time.Duration) error {
		return &connectors.Error{System: connectors.Slack, Op: "remove from user group", Kind: k, RetryAfter: after, Err: errors.New("no")}
	}
	for _, tc := range []struct {
		name      string
		err       error
		kind      string
		exhausted bool
		next      time.Duration // from now, when not exhausted
	}{
		// backoff_min 30 s, jitter 0.5: 15 s + half of 15 s.
		{"a retryable error waits the backoff", typed(connectors.KindRetryable, 0), "retryable", false, 22500 * time.Millisecond},
		{"an untyped error is retried", errors.New("connection reset"), "unknown", false, 22500 * time.Millisecond},
		{"the wait the system asked for is honoured", typed(connectors.KindRetryable, 5*time.Minute), "retryable", false, 5 * time.Minute},
		{"a permission error gives up at once", typed(connectors.KindPermission, 0), "permission denied", true, 0},
		{"a decision gives up at once", typed(connectors.KindDecision, 0), "needs a decision", true, 0},
		{"a configuration error gives up at once", typed(connectors.KindConfig, 0), "invalid configuration", true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1"})
			r.conn.revoke = func(ctx context.Context, g connectors.Grant, n int) (connectors.Outcome, error) { return 0, tc.err }
			_, a := r.approved()
			r.waitFor("the failure to be recorded", func() bool { return len(r.audit(storage.EventFailed)) == 1 })
			got := r.action(a.ID)
			wantAttempts := 1
			if tc.exhausted {
				wantAttempts = got.MaxAttempts
			}
			if got.State != storage.ActionFailed || got.Attempts != wantAttempts || got.LastError != tc.err.Error() {
				t.Errorf("failed action: %s after %d attempts, %q; want failed after %d", got.State, got.Attempts, got.LastError, wantAttempts)
			}
			at, queued := r.job(a.ID)
			e := r.last(storage.EventFailed)
			if e.Details["attempt"] != 1.0 || e.Details["of"] != 5.0 || e.Details["error"] != tc.err.Error() ||
				e.Details["kind"] != tc.kind || e.Details["exhausted"] != tc.exhausted {
				t.Errorf("failed event %+v", e.Details)
			}
			if tc.exhausted {
				if queued {
					t.Error("an exhausted action is still queued")
				}
				if _, ok := e.Details["next_attempt_at"]; ok {
					t.Error("an exhausted action has a next attempt")
				}
				if v := Allowed(r.load(a.CaseID), got); len(v) != 2 || v[0] != VerbRetry || v[1] != VerbMarkDone {
					t.Errorf("allowed %v; want retry, mark done", v)
				}
				return
			}
			want := r.clock.Now().Add(tc.next)
			if !queued || !at.Equal(want) || e.Details["next_attempt_at"] != want.UTC().Format(time.RFC3339) {
				t.Errorf("next attempt queued %v at %v (event %v); want %v", queued, at, e.Details["next_attempt_at"], want)
			}
			if v := Allowed(r.load(a.CaseID), got); len(v) != 0 {
				t.Errorf("a failure with attempts left allows %v; want nothing", v)
			}
		})
	}
}

func TestAttemptsRunOutThenRetryOrMarkDone(t *testing.T) {
	for _, verb := range []Verb{VerbRetry, VerbMarkDone} {
		t.Run(verb.String(), func(t *testing.T) {
			r := newRig(t, Config{Execution: ExecutionConfig{Attempts: 2}}, connectors.Grant{Kind: "usergroup", Ref: "S1"})
			r.conn.revoke = func(ctx context.Context, g connectors.Grant, n int) (connectors.Outcome, error) {
				if n <= 2 {
					return 0, &connectors.Error{System: connectors.Slack, Op: "remove", Kind: connectors.KindRetryable, Err: errors.New("503")}
				}
				return connectors.Revoked, nil
			}
			c, a := r.approved()
			r.waitFor("the first failure", func() bool { return len(r.audit(storage.EventFailed)) == 1 })
			// Not exhausted yet: neither Retry nor Mark done applies.
			wantRefusal(t, r.svc.Retry(r.ctx, sec1, c.ID, a.ID), AlreadyDecided)
			wantRefusal(t, r.svc.MarkDone(r.ctx, sec1, c.ID, a.ID, "by hand"), AlreadyDecided)
			r.clock.Advance(23 * time.Second) // the executor is idle: the job waits for its time
			r.waitFor("the second failure", func() bool { return len(r.audit(storage.EventFailed)) == 2 })
			got := r.action(a.ID)
			if got.State != storage.ActionFailed || got.Attempts != 2 || r.last(storage.EventFailed).Details["exhausted"] != true {
				t.Fatalf("after 2 of 2 attempts: %s, %d attempts", got.State, got.Attempts)
			}
			if _, queued := r.job(a.ID); queued {
				t.Fatal("an exhausted action is still queued")
			}
			wantRefusal(t, r.svc.Retry(r.ctx, self, c.ID, a.ID), IsTarget)
			wantRefusal(t, r.svc.MarkDone(r.ctx, manager, c.ID, a.ID, "done"), NotApprover)
			before := r.seq()
			wantRefusal(t, r.svc.MarkDone(r.ctx, sec1, c.ID, a.ID, "   "), NoteRequired)
			if evs := r.since(before); len(evs) != 0 {
				t.Errorf("a blank note wrote %v", evs)
			}

			if verb == VerbMarkDone {
				if err := r.svc.MarkDone(r.ctx, sec2, c.ID, a.ID, " removed in the admin console "); err != nil {
					t.Fatal(err)
				}
				got := r.action(a.ID)
				if got.State != storage.ActionDone || got.DoneBy != sec2.ID || got.DoneNote != "removed in the admin console" {
					t.Errorf("marked done: %+v", got)
				}
				e := r.last(storage.EventMarkedDone)
				if e.Actor != sec2.ID || e.Details["note"] != "removed in the admin console" || e.Details["was"] != storage.ActionFailed {
					t.Errorf("marked_done event %+v", e.Details)
				}
				if r.load(c.ID).State != storage.CaseCompleted {
					t.Error("the case did not complete")
				}
				if n := r.conn.Calls("S1"); n != 2 {
					t.Errorf("%d calls; want the 2 failed ones", n)
				}
				return
			}
			if err := r.svc.Retry(r.ctx, sec2, c.ID, a.ID); err != nil {
				t.Fatal(err)
			}
			e := r.last(storage.EventRetried)
			if e.Actor != sec2.ID || e.Details["previous_attempts"] != 2.0 || !strings.Contains(e.Details["last_error"].(string), "503") {
				t.Errorf("retried event %+v", e.Details)
			}
			got = r.waitState(a.ID, storage.ActionDone)
			if got.Attempts != 1 || r.conn.Calls("S1") != 3 {
				t.Errorf("after the retry: %d attempts, %d calls; want a fresh count (1) and 3 calls", got.Attempts, r.conn.Calls("S1"))
			}
			r.waitFor("the case to complete", func() bool { return r.load(c.ID).State == storage.CaseCompleted })
		})
	}
}

func TestAnActionWithoutItsConnectorFailsAsConfiguration(t *testing.T) {
	gh := newGitHub()
	gh.grants["octo"] = []connectors.Grant{{Kind: "membership", Ref: "m-octo"}}
	r := newRigWith(t, rigOptions{cfg: linkedToGitHub(Config{}), extra: []Connector{gh}, noSlack: true})
	if err := r.svc.SyncConfigIdentities(r.ctx); err != nil {
		t.Fatal(err)
	}
	c := r.openFor(manager, target)
	a := r.actions(c.ID)[0]
	if err := r.svc.Approve(r.ctx, sec1, c.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	// Restarted with the GitHub connector now pointing at another org.
	moved := newGitHub()
	moved.scope = "elsewhere"
	r.rebuild(nil, true, moved)
	r.runExecutor(fast)
	got := r.waitState(a.ID, storage.ActionFailed)
	e := r.last(storage.EventFailed)
	if got.Attempts != got.MaxAttempts || e.Details["kind"] != "invalid configuration" || e.Details["exhausted"] != true ||
		!strings.Contains(got.LastError, `no github connector for "acme" is configured`) {
		t.Errorf("failed %d/%d: %q, event %+v", got.Attempts, got.MaxAttempts, got.LastError, e.Details)
	}
	if gh.revoked["m-octo"] != 0 || moved.revoked["m-octo"] != 0 {
		t.Error("a connector of another org was called")
	}
}

func TestAGrantThatCannotBeReadFailsAsConfiguration(t *testing.T) {
	r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1"})
	c := r.open()
	a := r.actions(c.ID)[0]
	if err := r.db.Write(r.ctx, func(tx *storage.Tx) error {
		_, err := tx.Exec(r.ctx, `UPDATE actions SET grant_json='{"ref":' WHERE id=?`, a.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.Approve(r.ctx, sec1, c.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	r.runExecutor(fast)
	got := r.waitState(a.ID, storage.ActionFailed)
	if e := r.last(storage.EventFailed); e.Details["kind"] != "invalid configuration" || got.Attempts != got.MaxAttempts {
		t.Errorf("failed event %+v", e.Details)
	}
	if r.conn.Calls("S1") != 0 {
		t.Error("an unreadable grant was revoked")
	}
}

func TestAutoApprovedActionsRunWithoutAClick(t *testing.T) {
	r := newRig(t, Config{Policy: PolicyConfig{Rules: []Rule{{Match: Match{System: "slack"}, AutoApprove: true}}}},
		connectors.Grant{Kind: "usergroup", Ref: "S1"}, connectors.Grant{Kind: "usergroup", Ref: "S2"})
	r.runExecutor(fast)
	c := r.open()
	r.waitFor("the case to complete", func() bool { return r.load(c.ID).State == storage.CaseCompleted })
	if r.conn.Calls("S1") != 1 || r.conn.Calls("S2") != 1 || len(r.audit(storage.EventApproved)) != 0 {
		t.Errorf("calls %d, %d and %d approvals; want one call each and no approval",
			r.conn.Calls("S1"), r.conn.Calls("S2"), len(r.audit(storage.EventApproved)))
	}
}

// A process stopped mid-call leaves the action executing; the next
// process resumes it after the lease, and the stop is not an attempt.
func TestAnActionInterruptedMidCallResumesAfterTheLeaseAndTheStopIsNotAnAttempt(t *testing.T) {
	r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1"})
	inCall := make(chan struct{})
	r.conn.revoke = func(ctx context.Context, g connectors.Grant, n int) (connectors.Outcome, error) {
		if n == 1 {
			close(inCall)
			<-ctx.Done() // the process stops during the call
			return 0, ctx.Err()
		}
		return connectors.AlreadyGone, nil
	}
	c := r.open()
	a := r.actions(c.ID)[0]
	if err := r.svc.Approve(r.ctx, sec1, c.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(r.ctx)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		r.svc.RunExecutor(ctx, ExecutorOptions{Poll: 5 * time.Millisecond, Owner: "old"})
	}()
	<-inCall
	stop()
	<-stopped
	if got := r.action(a.ID); got.State != storage.ActionExecuting || got.Attempts != 0 || len(r.audit(storage.EventFailed)) != 0 {
		t.Fatalf("after the stop: %s, %d attempts, %d failures; want executing, 0, none", got.State, got.Attempts, len(r.audit(storage.EventFailed)))
	}
	// A new process: the old lease still holds the job until it expires.
	r.runExecutor(ExecutorOptions{Poll: 5 * time.Millisecond, Owner: "new"})
	r.clock.Advance(31 * time.Second)
	got := r.waitState(a.ID, storage.ActionDone)
	if got.Attempts != 1 || got.Outcome != connectors.AlreadyGone.String() {
		t.Errorf("resumed: %d attempts, %q; want 1 attempt, already gone", got.Attempts, got.Outcome)
	}
	es := r.audit(storage.EventExecuting)
	if len(es) != 2 || es[1].Details["resumed_after_restart"] != true || es[1].Details["attempt"] != 1.0 {
		t.Errorf("executing events %+v; want the second resumed, still attempt 1", es)
	}
	if r.conn.Calls("S1") != 2 {
		t.Errorf("%d calls; want the interrupted one and the resumed one", r.conn.Calls("S1"))
	}
}
