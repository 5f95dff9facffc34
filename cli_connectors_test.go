package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/sandbox/fakeaws"
	"github.com/offboard/offboard/sandbox/fakegithub"
	"github.com/offboard/offboard/sandbox/fakeslack"
)

// company starts the three fakes and points the environment at them, as
// an operator's environment would point at the real services.
func company(t *testing.T, slackOpts fakeslack.Options) (*fakeslack.Server, *fakegithub.Server, *fakeaws.Server, string) {
	t.Helper()
	fs, err := fakeslack.Start(slackOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fs.Close() })
	fs.AddChannel(fakeslack.Channel{ID: "C0APPROVALS", Name: "offboarding", Members: []string{fs.BotUserID()}})
	gh := fakegithub.New(fakegithub.Options{})
	gh.Start()
	t.Cleanup(gh.Close)
	gh.AddMember("acme", fakegithub.Member{Login: "boss", Role: "admin"})
	gh.AddToken("tok-boss", "boss")
	gh.AddMember("acme", fakegithub.Member{Login: "worker"})
	gh.AddToken("tok-worker", "worker")
	iam := fakeaws.New(fakeaws.Options{})
	srv := httptest.NewServer(iam)
	t.Cleanup(srv.Close)
	iam.AddAccount("123456789012")
	iam.AddCredentials("AKIDBASE", "123456789012", "offboard")

	dir := t.TempDir()
	cfg := filepath.Join(dir, "offboard.yml")
	os.WriteFile(cfg, []byte(`slack: {approvals_channel: C0APPROVALS, requesters: [S0MANAGERS], approvers: [S0SECURITY]}
github: {org: acme}
aws: {mode: disable}
slack_connector: {usergroups: true}
dormancy: {inactive_days: 90}
`), 0o600)
	for k, v := range map[string]string{
		"OFFBOARD_CONFIG": cfg, "OFFBOARD_DB": filepath.Join(dir, "offboard.db"),
		"SLACK_API_URL": fs.APIURL(), "SLACK_APP_TOKEN": fs.AppToken(), "SLACK_BOT_TOKEN": fs.BotToken(),
		"GITHUB_TOKEN": "tok-boss", "GITHUB_API_URL": gh.APIURL(),
		"AWS_ACCESS_KEY_ID": "AKIDBASE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
		"AWS_ENDPOINT_URL_IAM": srv.URL, "AWS_ENDPOINT_URL_STS": srv.URL, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"),
		"OFFBOARD_LOG_LEVEL": "error",
	} {
		t.Setenv(k, v)
	}
	return fs, gh, iam, dir
}

func runOS(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	vars := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	return runWith(t, vars, args...)
}

func TestDoctorChecksEveryConnectorAndSaysWhatFails(t *testing.T) {
	company(t, fakeslack.Options{})
	code, out, errs := runOS(t, "doctor")
	if code != 0 {
		t.Fatalf("doctor on a healthy setup: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"ok    config", "ok    database", "ok    slack bot token", "ok    slack scopes", "ok    slack app token",
		"ok    connector github: on", "ok    connector aws: on", "ok    github org owner", "ok    aws 123456789012: credentials", "all checks passed"} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+errs, "tok-boss") || strings.Contains(out+errs, "xoxb-") {
		t.Error("doctor printed a token")
	}

	t.Setenv("GITHUB_TOKEN", "tok-worker") // not an org owner
	code, out, _ = runOS(t, "doctor")
	if code != 1 || !strings.Contains(out, "FAIL  github org owner: worker is active member of acme") {
		t.Errorf("doctor with a non-owner token: exit %d\n%s", code, out)
	}
}

func TestDoctorNamesMissingSlackScopes(t *testing.T) {
	company(t, fakeslack.Options{Scopes: []string{"commands", "chat:write", "users:read"}})
	code, out, _ := runOS(t, "doctor")
	if code != 1 || !strings.Contains(out, "FAIL  slack scopes: missing users:read.email, usergroups:read") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestScanPrintsDormantAccountsAsJSON(t *testing.T) {
	_, gh, iam, _ := company(t, fakeslack.Options{})
	long := time.Now().AddDate(-2, 0, 0)
	gh.AddMember("acme", fakegithub.Member{Login: "idle-gh", CreatedAt: long, JoinedAt: long})
	gh.AddContribution("acme", "boss", time.Now().Add(-24*time.Hour), 1)
	gh.AddContribution("acme", "worker", time.Now().Add(-24*time.Hour), 1)
	gh.AddMember("acme", fakegithub.Member{Login: "new-gh", CreatedAt: time.Now().Add(-24 * time.Hour), JoinedAt: time.Now().Add(-24 * time.Hour)})
	used := time.Now().AddDate(0, 0, -200)
	iam.AddUser("123456789012", fakeaws.User{Name: "idle", Created: long, PasswordLastUsed: &used, LoginProfile: &fakeaws.LoginProfile{}})
	recent := time.Now().Add(-time.Hour)
	iam.AddUser("123456789012", fakeaws.User{Name: "busy", Created: long, PasswordLastUsed: &recent, LoginProfile: &fakeaws.LoginProfile{}})

	code, out, errs := runOS(t, "scan", "--dry-run", "--format", "json")
	if code != 0 {
		t.Fatalf("scan: exit %d\n%s\n%s", code, out, errs)
	}
	var rep struct {
		GeneratedAt  string `json:"generated_at"`
		InactiveDays int    `json:"inactive_days"`
		Dormant      []struct {
			System       string  `json:"system"`
			Account      string  `json:"account"`
			AWSAccount   string  `json:"aws_account"`
			LastActivity *string `json:"last_activity"`
			Why          string  `json:"why"`
		} `json:"dormant"`
		APICalls map[string]int `json:"api_calls"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if _, err := time.Parse(time.RFC3339, rep.GeneratedAt); err != nil || rep.InactiveDays != 90 {
		t.Errorf("header: %+v", rep)
	}
	got := map[string]bool{}
	for _, d := range rep.Dormant {
		got[d.System+":"+d.Account] = true
		if d.Why == "" {
			t.Errorf("%s has no why", d.Account)
		}
		if d.System == "aws" && d.AWSAccount != "123456789012" {
			t.Errorf("aws row without aws_account: %+v", d)
		}
	}
	for _, want := range []string{"github:idle-gh", "aws:idle"} {
		if !got[want] {
			t.Errorf("%s not reported: %s", want, out)
		}
	}
	for _, not := range []string{"github:new-gh", "aws:busy", "github:boss"} {
		if got[not] {
			t.Errorf("%s reported as dormant", not)
		}
	}
	if rep.APICalls["github"] == 0 || rep.APICalls["aws"] == 0 || rep.APICalls["aws"] > 5 {
		t.Errorf("api_calls = %v", rep.APICalls)
	}
	code, out, _ = runOS(t, "scan", "--dry-run")
	if code != 0 || !strings.Contains(out, "idle-gh") || !strings.Contains(out, "SYSTEM") {
		t.Errorf("table format: exit %d\n%s", code, out)
	}
}
