package aws

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

// seedPopulation adds n users in five equal shapes and returns the names
// that are dormant over 90 days at t0:
//
//	0: created long ago, never signed in, no keys          dormant
//	1: password last used 200 days ago, old key never used  dormant
//	2: second access key used 10 days ago                   active
//	3: password used 5 days ago                             active
//	4: created 30 days ago, never used                      too new
func seedPopulation(t testing.TB, fake *fakeaws.Server, n int) []string {
	t.Helper()
	days := func(d int) *time.Time { v := t0.AddDate(0, 0, -d); return &v }
	var dormant []string
	for i := range n {
		u := fakeaws.User{Name: fmt.Sprintf("user%05d", i), Created: t0.AddDate(-2, 0, 0)}
		switch i % 5 {
		case 0:
			dormant = append(dormant, u.Name)
		case 1:
			u.LoginProfile = &fakeaws.LoginProfile{}
			u.PasswordLastUsed = days(200)
			u.AccessKeys = []fakeaws.AccessKey{{}}
			dormant = append(dormant, u.Name)
		case 2:
			u.AccessKeys = []fakeaws.AccessKey{{LastUsed: days(300), LastService: "s3"}, {LastUsed: days(10), LastService: "ec2"}}
		case 3:
			u.LoginProfile = &fakeaws.LoginProfile{}
			u.PasswordLastUsed = days(5)
		case 4:
			u.Created = t0.AddDate(0, 0, -30)
		}
		if _, err := fake.AddUser(acctID, u); err != nil {
			t.Fatal(err)
		}
	}
	return dormant
}

func TestDormancyOf5000UsersTakesAtMostFiveIAMCalls(t *testing.T) {
	e := newEnv(t, fakeaws.Options{ReportPolls: 1})
	want := seedPopulation(t, e.fake, 5000)
	c := e.connector(t, ModeDisable)
	e.fake.SetLatency(50 * time.Millisecond)
	e.fake.ResetCalls()

	start := time.Now()
	got, err := c.Dormant(context.Background(), t0, 90)
	took := time.Since(start)
	must(t, err)

	calls := e.fake.Count("iam", "")
	t.Logf("dormancy of 5,000 users at 50 ms per call: %d IAM calls, %v, %d dormant", calls, took.Round(time.Millisecond), len(got))
	if calls > 5 {
		t.Errorf("%d IAM calls, want at most 5", calls)
	}
	var names []string
	for _, d := range got {
		names = append(names, d.Account.ID)
		if d.Account.System != connectors.AWS || d.Account.Scope != acctID || d.Email != "" || d.Why == "" {
			t.Fatalf("dormant entry %+v: want an AWS account in %s, no email, a reason", d, acctID)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, want) {
		t.Errorf("got %d dormant users, want %d; first got %v, first want %v", len(names), len(want), names[:min(3, len(names))], want[:3])
	}
	for _, d := range got {
		if d.Account.ID == "user00001" && (d.LastActivity == nil || !d.LastActivity.Equal(t0.AddDate(0, 0, -200))) {
			t.Errorf("user00001 last activity %v, want its sign-in 200 days ago", d.LastActivity)
		}
		if d.Account.ID == "user00000" && d.LastActivity != nil {
			t.Errorf("user00000 last activity %v, want none", d.LastActivity)
		}
	}
}

func TestAReportThatIsNeverReadyStopsAtTheCallBudget(t *testing.T) {
	e := newEnv(t, fakeaws.Options{ReportPolls: 100})
	c := e.connector(t, ModeDisable)
	e.fake.ResetCalls()
	_, err := c.Dormant(context.Background(), t0, 90)
	if !connectors.IsRetryable(err) {
		t.Errorf("got %v, want a retryable error", err)
	}
	if n := e.fake.Count("iam", ""); n != 5 {
		t.Errorf("%d IAM calls, want the budget of 5", n)
	}
}

func TestAFreshReportIsReadWithTwoCalls(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedPopulation(t, e.fake, 10)
	c := e.connector(t, ModeDisable)
	_, err := c.Dormant(context.Background(), t0, 90)
	must(t, err)
	e.fake.ResetCalls()
	got, err := c.Dormant(context.Background(), t0, 90)
	must(t, err)
	if n := e.fake.Count("iam", ""); n != 2 || len(got) != 4 {
		t.Errorf("%d calls and %d dormant, want 2 calls (generate says COMPLETE, get) and 4", n, len(got))
	}
}

func TestReportRowsWithUnreadableDatesAreAnError(t *testing.T) {
	csv := "user,arn,user_creation_time,password_last_used,access_key_1_last_used_date,access_key_2_last_used_date\n" +
		"dev,arn:aws:iam::1:user/dev,2020-01-01T00:00:00+00:00,yesterday,N/A,N/A\n"
	err := eachReportRow([]byte(csv), func(reportRow) {})
	if err == nil {
		t.Error("an unreadable date was accepted")
	}
}

func BenchmarkDormancy5k(b *testing.B) {
	e := newEnv(b, fakeaws.Options{ReportPolls: 1})
	seedPopulation(b, e.fake, 5000)
	opts := e.fastOptions()
	opts.ReportPoll = 10 * time.Millisecond
	cs, err := New(context.Background(), Config{}, opts)
	must(b, err)
	e.fake.SetLatency(50 * time.Millisecond)
	b.ReportAllocs()
	b.ResetTimer()
	calls := 0
	for b.Loop() {
		e.fake.DropCredentialReport(acctID)
		e.fake.ResetCalls()
		if _, err := cs[0].Dormant(context.Background(), t0, 90); err != nil {
			b.Fatal(err)
		}
		calls += e.fake.Count("iam", "")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(calls)/float64(b.N), "iam-calls/op")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-inuse-MB")
}

func TestGenerateCredentialReportAnsweringLimitExceededIsWaitedOut(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedPopulation(t, e.fake, 10)
	c := e.connector(t, ModeDisable)
	_, err := c.Dormant(context.Background(), t0, 90) // a report exists
	must(t, err)
	e.fake.ResetCalls()
	e.fake.AddFault(fakeaws.Fault{Action: "GenerateCredentialReport", Times: 1, Status: 409, Code: "LimitExceeded",
		Message: "Cannot exceed quota for CredentialReportGeneration"})
	got, err := c.Dormant(context.Background(), t0, 90)
	if err != nil || len(got) != 4 {
		t.Fatalf("got %d dormant, %v; want the report read after LimitExceeded", len(got), err)
	}
	if n := e.fake.Count("iam", "GetCredentialReport"); n != 1 {
		t.Errorf("%d GetCredentialReport calls, want 1", n)
	}
}
