package main

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/offboard/offboard/sandbox/fakeaws"
	"github.com/offboard/offboard/sandbox/fakegithub"
)

// BenchmarkDormancyScanProcess runs the combined dormancy scan of 10,000
// GitHub members and 5,000 IAM users as one `offboard scan --format json`
// process against fakes in this process answering in 50 ms per call, and
// measures it from outside: wall time, the process's peak RSS (VmHWM) and
// the calls each fake served (targets: GitHub ≤ ⌈M/100⌉+⌈M/50⌉+5, IAM ≤ 5,
// ≤ 30 s, ≤ 150 MB).
//
//	go test . -run XXX -bench DormancyScanProcess -benchtime 1x
func BenchmarkDormancyScanProcess(b *testing.B) {
	offboardBinary(b)
	for i := 0; i < b.N; i++ {
		// IAM takes a while to write a credential report: the first poll
		// finds it still in progress.
		r := scanProcess(b, 10000, 5000, 50*time.Millisecond, 1)
		b.ReportMetric(r.wall.Seconds(), "wall_s")
		b.ReportMetric(float64(r.peakKB)/1024, "peak_rss_MB")
		b.ReportMetric(float64(r.github), "github_calls")
		b.ReportMetric(float64(githubScanBudget(10000)), "github_budget")
		b.ReportMetric(float64(r.iam), "iam_calls")
		b.ReportMetric(float64(r.dormant), "dormant")
	}
}

// TestTheDormancyScanProcessRunsSmall is the benchmark's small version,
// run with the tests: the budgets hold, measured by the fakes.
func TestTheDormancyScanProcessRunsSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	r := scanProcess(t, 500, 200, 0, 0)
	if r.github > githubScanBudget(500) || r.iam > 5 {
		t.Errorf("%d GitHub calls (budget %d) and %d IAM calls (budget 5)", r.github, githubScanBudget(500), r.iam)
	}
	// Every tenth member (boss is member 0) and every fifth IAM user was
	// seeded dormant.
	if want := 49 + 40; r.dormant != want {
		t.Errorf("%d dormant accounts reported; want %d", r.dormant, want)
	}
}

// githubScanBudget is the most calls a scan of m members may make:
// member pages of 100, contribution queries of 50 members, and 5 more.
func githubScanBudget(m int) int { return (m+99)/100 + (m+49)/50 + 5 }

// scanFigures is what one scan process measured.
type scanFigures struct {
	wall        time.Duration
	peakKB      int
	github, iam int
	dormant     int
	reported    map[string]int // the process's own api_calls
}

// scanProcess seeds an org of members GitHub accounts (every tenth
// dormant) and an IAM account of users (every fifth dormant), then runs
// `offboard scan --format json` once and measures it.
func scanProcess(t testing.TB, members, users int, latency time.Duration, reportPolls int) scanFigures {
	t.Helper()
	gh := fakegithub.New(fakegithub.Options{})
	gh.Start()
	t.Cleanup(gh.Close)
	long, now := time.Now().AddDate(-2, 0, 0), time.Now()
	gh.AddMember("acme", fakegithub.Member{Login: "boss", Role: "admin", CreatedAt: long, JoinedAt: long})
	gh.AddToken("tok-boss", "boss")
	gh.AddContribution("acme", "boss", now.AddDate(0, 0, -1), 1)
	for i := 1; i < members; i++ {
		login := fmt.Sprintf("m%05d", i)
		gh.AddMember("acme", fakegithub.Member{Login: login, CreatedAt: long, JoinedAt: long})
		if i%10 != 0 {
			gh.AddContribution("acme", login, now.AddDate(0, 0, -(1+i%80)), 1)
		}
	}
	iam := fakeaws.New(fakeaws.Options{ReportPolls: reportPolls})
	srv := httptest.NewServer(iam)
	t.Cleanup(srv.Close)
	const acct = "123456789012"
	iam.AddAccount(acct)
	iam.AddCredentials("AKIDBASE", acct, "offboard")
	for i := 0; i < users; i++ {
		used := now.AddDate(0, 0, -5)
		if i%5 == 0 {
			used = now.AddDate(0, 0, -200)
		}
		if _, err := iam.AddUser(acct, fakeaws.User{Name: fmt.Sprintf("user%05d", i), Created: long,
			LoginProfile: &fakeaws.LoginProfile{}, PasswordLastUsed: &used}); err != nil {
			t.Fatal(err)
		}
	}
	_, env, _ := crashWorld(t, "github: {org: acme}\naws: {mode: disable}\ndormancy: {inactive_days: 90}\n")
	dir := t.TempDir()
	env = append(env, "OFFBOARD_LOG_LEVEL=error", "GITHUB_TOKEN=tok-boss", "GITHUB_API_URL="+gh.APIURL(),
		"AWS_ACCESS_KEY_ID=AKIDBASE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_REGION=us-east-1",
		"AWS_ENDPOINT_URL_IAM="+srv.URL, "AWS_ENDPOINT_URL_STS="+srv.URL, "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"))
	gh.SetLatency(latency)
	iam.SetLatency(latency)
	gh.ResetCalls()
	iam.ResetCalls()

	p := startOffboard(t, env, "scan", "--format", "json")
	w := watchPeak(p)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Minute):
		t.Fatalf("the scan still runs after 5 minutes: %s", p.logs)
	}
	f := scanFigures{wall: p.exitedAt.Sub(p.started), peakKB: w.peakKB(), github: gh.TotalCalls(), iam: iam.Count("iam", "")}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("scan: exit %d\n%s", code, p.logs)
	}
	var rep struct {
		Dormant  []json.RawMessage `json:"dormant"`
		APICalls map[string]int    `json:"api_calls"`
	}
	if err := json.Unmarshal([]byte(p.stdout.String()), &rep); err != nil {
		t.Fatalf("scan output: %v\n%s", err, p.stdout)
	}
	f.dormant, f.reported = len(rep.Dormant), rep.APICalls
	fmt.Printf("dormancy scan process, %d GitHub members + %d IAM users, fakes at %s per call: %s wall, peak RSS (VmHWM) %.1f MB; "+
		"calls served: GitHub %d (budget %d), IAM %d (budget 5); the process counted %v; %d dormant\n",
		members, users, latency, f.wall.Round(time.Millisecond), float64(f.peakKB)/1024, f.github, githubScanBudget(members), f.iam, f.reported, f.dormant)
	return f
}
