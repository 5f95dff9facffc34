package github

import (
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakegithub"
)

// maxInFlight is the largest number of the fake's calls that overlapped.
func maxInFlight(calls []fakegithub.Call) int {
	type edge struct {
		at    time.Time
		delta int
	}
	var edges []edge
	for _, c := range calls {
		edges = append(edges, edge{c.Wall, +1}, edge{c.Wall.Add(c.Took), -1})
	}
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].at.Equal(edges[j].at) {
			return edges[i].delta < edges[j].delta
		}
		return edges[i].at.Before(edges[j].at)
	})
	n, peak := 0, 0
	for _, e := range edges {
		n += e.delta
		peak = max(peak, n)
	}
	return peak
}

func TestGrantsRunIndependentCallsInParallel(t *testing.T) {
	for _, app := range []bool{false, true} {
		name := map[bool]string{false: "token", true: "app"}[app]
		t.Run(name, func(t *testing.T) {
			var e *env
			if app {
				e = newAppEnv(t, newClock())
			} else {
				e = newEnv(t)
			}
			seedDev(e.fake)
			e.fake.AddCredential(org, fakegithub.Credential{Login: "dev"})
			e.fake.AddPAT(org, fakegithub.PAT{Owner: "dev"})
			e.fake.AddInvitation(org, fakegithub.Invitation{Login: "dev", Role: "admin"})
			e.grants("boss") // warm: App token and org node ID are cached per connector
			e.fake.SetLatency(100 * time.Millisecond)
			e.fake.ResetCalls()
			start := time.Now()
			gs := e.grants("dev")
			took := time.Since(start)
			calls := e.fake.Calls()
			peak := maxInFlight(calls)
			t.Logf("%s: Grants found %d grants in %v with %d calls of 100 ms, up to %d at once", name, len(gs), took.Round(time.Millisecond), len(calls), peak)
			if len(gs) != 3 {
				t.Errorf("%d grants, want membership, invitation and SSO or PAT", len(gs))
			}
			if peak < len(calls) {
				t.Errorf("at most %d of %d independent calls overlapped; they should all run at once", peak, len(calls))
			}
			if sequential := time.Duration(len(calls)) * 100 * time.Millisecond; took >= sequential {
				t.Errorf("took %v, no faster than %d calls in a row (%v)", took, len(calls), sequential)
			}
		})
	}
}

func TestObserverSeesEveryCall(t *testing.T) {
	var mu sync.Mutex
	ops := map[string]int{}
	var kinds []connectors.ErrorKind
	e := newEnv(t, func(o *Options) {
		o.Observer = func(sys connectors.System, op string, took time.Duration, err error) {
			mu.Lock()
			defer mu.Unlock()
			if sys != connectors.GitHub {
				t.Errorf("system %q", sys)
			}
			ops[op]++
			if err != nil {
				kinds = append(kinds, connectors.KindOf(err))
			}
		}
	})
	seedDev(e.fake)
	e.fake.EnableSAML(org)
	e.grants("dev")
	mu.Lock()
	defer mu.Unlock()
	total := 0
	for _, n := range ops {
		total += n
	}
	if total != e.fake.TotalCalls() {
		t.Errorf("observer saw %d calls, the fake %d: %v", total, e.fake.TotalCalls(), ops)
	}
	if ops["get org membership"] != 1 || ops["get member activity"] != 1 {
		t.Errorf("ops = %v", ops)
	}
	if len(kinds) != 0 {
		t.Errorf("errors reported for a clean run: %v", kinds)
	}
}
