package github

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakegithub"
)

// budget is the call budget of a dormancy scan of m members:
// ⌈M/100⌉ + ⌈M/50⌉ + 5.
func budget(m int) int { return (m+99)/100 + (m+49)/50 + 5 }

// seedOrg adds n members named m0000…; every member whose index is
// divisible by 10 contributed nothing in the last 90 days (some long
// before), the rest contributed recently. It returns the logins it made
// dormant.
func seedOrg(f *fakegithub.Server, n int) []string {
	var dormant []string
	for i := range n {
		login := fmt.Sprintf("m%04d", i)
		f.AddMember(org, fakegithub.Member{Login: login})
		switch {
		case i%10 == 0:
			if i%20 == 0 {
				f.AddContribution(org, login, days(200), 4)
			}
			dormant = append(dormant, login)
		default:
			f.AddContribution(org, login, days(1+i%80), 1)
		}
	}
	return dormant
}

func TestDormancyOverAThousandMembersIsCorrectAndWithinBudget(t *testing.T) {
	e := newEnv(t)
	f := e.fake
	f.AddContribution(org, "boss", days(2), 1)
	want := seedOrg(f, 1000)
	// Only private work: GitHub counts it in restrictedContributionsCount.
	f.AddMember(org, fakegithub.Member{Login: "private-worker"})
	f.AddRestrictedContribution(org, "private-worker", days(10), 3)
	// A new GitHub account: younger than the window.
	f.AddMember(org, fakegithub.Member{Login: "new-account", CreatedAt: days(10), JoinedAt: days(10)})
	// An old account that joined the org last week (audit log).
	f.AddMember(org, fakegithub.Member{Login: "new-joiner", CreatedAt: days(2000), JoinedAt: days(7)})
	// Active elsewhere only: contributions to another org do not count.
	f.AddMember(org, fakegithub.Member{Login: "elsewhere"})
	f.AddContribution("other-org", "elsewhere", days(3), 9)
	want = append(want, "elsewhere")
	// A dormant member with a SAML identity gets its email.
	f.AddMember(org, fakegithub.Member{Login: "sleeper"})
	f.AddSAMLIdentity(org, fakegithub.SAMLIdentity{NameID: "sleeper@acme.test", Emails: []string{"sleeper@acme.test"}, Login: "sleeper"})
	want = append(want, "sleeper")
	sort.Strings(want)

	members := len(f.Members(org))
	f.ResetCalls()
	got, err := e.conn.Dormant(context.Background(), time.Now(), 90)
	if err != nil {
		t.Fatal(err)
	}
	var logins []string
	for _, d := range got {
		logins = append(logins, d.Account.ID)
		if d.Account.System != connectors.GitHub || d.Account.Scope != org || d.Why != "no contributions or comments in 90 days" {
			t.Errorf("dormant entry %+v", d)
		}
		if d.Account.ID == "sleeper" && d.Email != "sleeper@acme.test" {
			t.Errorf("sleeper's email = %q, want it from the SAML identity", d.Email)
		}
	}
	if !reflect.DeepEqual(logins, want) {
		t.Errorf("dormant = %d logins, want %d; first got %v, first want %v", len(logins), len(want), head(logins), head(want))
		t.Errorf("missing: %v; extra: %v", diff(want, logins), diff(logins, want))
	}
	calls := f.TotalCalls()
	t.Logf("%d members: %d calls (budget %d): %v", members, calls, budget(members), f.CallCounts())
	if calls > budget(members) {
		t.Errorf("%d calls, over the budget of %d", calls, budget(members))
	}
}

func TestDormancyWindowLongerThanAYearIsSplit(t *testing.T) {
	e := newEnv(t)
	e.fake.AddContribution(org, "boss", days(1), 1)
	e.fake.AddMember(org, fakegithub.Member{Login: "old-timer", CreatedAt: days(3000), JoinedAt: days(2000)})
	e.fake.AddContribution(org, "old-timer", days(500), 1)
	e.fake.AddMember(org, fakegithub.Member{Login: "gone", CreatedAt: days(3000), JoinedAt: days(2000)})
	got, err := e.conn.Dormant(context.Background(), time.Now(), 730)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Account.ID != "gone" {
		t.Errorf("dormant = %+v, want only gone (old-timer contributed 500 days ago)", got)
	}
}

func head(s []string) []string { return s[:min(len(s), 5)] }

func diff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

// BenchmarkDormancy10k scans 10,000 members (contributions and newest
// comments) with 50 ms per call on the fake, with the connector's default
// rate limits and concurrency, and reports calls, wall time and peak heap
// against the budget (≤ 305 calls, ≤ 30 s).
func BenchmarkDormancy10k(b *testing.B) {
	const m = 10000
	fake := fakegithub.New(fakegithub.Options{})
	fake.Start()
	defer fake.Close()
	fake.AddMember(org, fakegithub.Member{Login: "boss", Role: "admin"})
	fake.AddToken("tok-boss", "boss")
	fake.AddContribution(org, "boss", days(1), 1)
	seedOrg(fake, m-1)
	fake.SetLatency(50 * time.Millisecond)
	for b.Loop() {
		conn, err := New(Config{Org: org}, Credentials{Token: "tok-boss"}, Options{APIURL: fake.APIURL()})
		if err != nil {
			b.Fatal(err)
		}
		fake.ResetCalls()
		var peak atomic.Uint64
		stop := sampleHeap(&peak)
		start := time.Now()
		got, err := conn.Dormant(context.Background(), time.Now(), 90)
		wall := time.Since(start)
		stop()
		if err != nil {
			b.Fatal(err)
		}
		calls := fake.TotalCalls()
		if calls > budget(m) {
			b.Errorf("%d calls, over the budget of %d", calls, budget(m))
		}
		b.ReportMetric(float64(calls), "calls")
		b.ReportMetric(float64(budget(m)), "budget")
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(len(got)), "dormant")
		// GraphQL rate-limit points spent: the comments ride in the
		// batched queries, so they add nodes but no calls.
		b.ReportMetric(float64(5000-fake.RateRemaining("tok-boss", "graphql")), "graphql-points")
	}
}

// sampleHeap records the largest HeapAlloc seen every 10 ms until stop.
func sampleHeap(peak *atomic.Uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}
