package flows

import (
	"context"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// A worker whose lease is taken over mid-call (its process stalled past
// the lease) must abandon the call, and only the new owner's outcome is
// recorded: one revocation in the log, not two.
func TestALeaseTakenOverMidCallIsAbandonedAndOneOutcomeIsRecorded(t *testing.T) {
	r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1", Title: "user group @ops"})
	first := make(chan struct{})
	abandoned := make(chan error, 1)
	r.conn.revoke = func(ctx context.Context, g connectors.Grant, n int) (connectors.Outcome, error) {
		if n == 1 {
			close(first)
			<-ctx.Done() // stalls until the executor gives the call up
			abandoned <- ctx.Err()
			return connectors.Revoked, nil // a result that must not be recorded
		}
		return connectors.AlreadyGone, nil
	}
	c := r.open()
	a := r.actions(c.ID)[0]
	if err := r.svc.Approve(r.ctx, sec1, c.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	r.runExecutor(ExecutorOptions{Lease: 300 * time.Millisecond, Poll: 10 * time.Millisecond, Owner: "w"})
	<-first
	// The lease expires on the database's clock: the same executor claims
	// the job again (same owner name, new claim) and runs it.
	r.clock.Advance(time.Minute)
	poke(r.svc.work)
	select {
	case err := <-abandoned:
		if err == nil {
			t.Fatal("the first call ended without its context being cancelled")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the first call was never abandoned")
	}
	r.waitFor("the action to be done", func() bool { return r.actions(c.ID)[0].State == storage.ActionDone })
	got := r.actions(c.ID)[0]
	if got.Outcome != connectors.AlreadyGone.String() || got.Attempts != 1 {
		t.Errorf("outcome %q after %d attempts; want the new owner's %q after 1", got.Outcome, got.Attempts, connectors.AlreadyGone)
	}
	ev := r.events(a.ID)
	if ev[storage.EventRevoked]+ev[storage.EventAlreadyGone] != 1 || ev[storage.EventAlreadyGone] != 1 {
		t.Errorf("audit events %v; want exactly one outcome, the new owner's", ev)
	}
	if n := r.conn.Calls("S1"); n != 2 {
		t.Errorf("%d calls; want the abandoned one and the new owner's", n)
	}
}

// A Slack connector learns its team at its first call; a process that
// executes an approved action before discovering anything (just restarted)
// must still find it.
func TestAConnectorThatDoesNotKnowItsScopeYetIsFound(t *testing.T) {
	cs := Connectors{&lateScope{}}
	if cs.For(connectors.Slack, "T0FAKE") == nil {
		t.Fatal("no connector for the team before the connector learned its scope")
	}
	if cs.For(connectors.GitHub, "acme") != nil {
		t.Fatal("a connector of another system was found")
	}
}

// lateScope is a connector whose scope is still unknown.
type lateScope struct{ conn }

func (*lateScope) Scope() string { return "" }
