package aws

import (
	"context"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestGrantsForAUserWithEveryKindRunTheirCallsInParallel(t *testing.T) {
	const latency = 100 * time.Millisecond
	for _, mode := range []string{ModeDisable, ModeDelete} {
		t.Run(mode+" mode", func(t *testing.T) {
			e := newEnv(t, fakeaws.Options{})
			seedEverything(t, e.fake, acctID, "dev")
			c := e.connector(t, mode)
			e.fake.SetLatency(latency)
			e.fake.ResetCalls()

			start := time.Now()
			gs, err := c.Grants(context.Background(), connectors.Account{ID: "dev"})
			took := time.Since(start)
			must(t, err)

			calls := e.fake.Count("iam", "")
			t.Logf("grants of a user with every kind at %v per call: %d grants, %d IAM calls, %v (%v if sequential), at most %d calls in flight",
				latency, len(gs), calls, took.Round(time.Millisecond), time.Duration(calls)*latency, e.fake.MaxInFlight())
			// Ten independent reads, then one last-use read per key: two rounds.
			if e.fake.MaxInFlight() < 10 {
				t.Errorf("at most %d calls in flight, want the 10 independent reads at once", e.fake.MaxInFlight())
			}
			if took >= time.Duration(calls)*latency/2 {
				t.Errorf("took %v for %d calls of %v: not parallel", took, calls, latency)
			}
		})
	}
}

func TestDeletingAUserRunsItsRemovalsInParallel(t *testing.T) {
	const latency = 100 * time.Millisecond
	e := newEnv(t, fakeaws.Options{})
	seedEverything(t, e.fake, acctID, "dev")
	c := e.connector(t, ModeDelete)
	gs, err := c.Grants(context.Background(), connectors.Account{ID: "dev"})
	must(t, err)
	e.fake.SetLatency(latency)
	e.fake.ResetCalls()

	start := time.Now()
	out, err := c.Revoke(context.Background(), byKind(gs, KindUser)[0])
	took := time.Since(start)
	if err != nil || out != connectors.Revoked {
		t.Fatalf("revoke user: %v, %v", out, err)
	}
	calls := e.fake.Count("iam", "")
	t.Logf("deleting a user with every kind at %v per call: %d IAM calls in %v (%v if sequential)",
		latency, calls, took.Round(time.Millisecond), time.Duration(calls)*latency)
	if took >= time.Duration(calls)*latency/2 {
		t.Errorf("took %v for %d calls of %v: not parallel", took, calls, latency)
	}
}
