package slack

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeslack"
)

func TestCheckAllGood(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	checks := connector(srv, Config{UserGroups: true, SCIM: true}, Options{}).Check(t.Context())
	if len(checks) != 5 {
		t.Fatalf("checks = %+v", checks)
	}
	for _, c := range checks {
		if !c.OK {
			t.Errorf("check %s failed: %s", c.Name, c.Detail)
		}
	}
	if checks[0].Detail != "team T0FAKE, bot user U0BOT" {
		t.Errorf("token detail = %q", checks[0].Detail)
	}
}

func TestCheckReportsMissingScopesAndBadSCIM(t *testing.T) {
	srv := workspace(t, fakeslack.Options{Scopes: []string{"users:read", "users:read.email", "usergroups:read"}})
	api := slackapi.New(srv.BotToken(), slackapi.OptionAPIURL(srv.APIURL()))
	c := New(Config{UserGroups: true, SCIM: true}, api, SCIMOptions{Token: "xoxp-wrong", BaseURL: srv.SCIMURL()}, Options{Limits: fast(), APIURL: srv.APIURL()})
	checks := c.Check(t.Context())
	if len(checks) != 4 || checks[1].OK || checks[1].Detail != "missing usergroups:write" {
		t.Errorf("scopes check = %+v", checks)
	}
	if checks[3].OK || strings.Contains(checks[3].Detail, "xoxp-wrong") {
		t.Errorf("scim check = %+v, want a failure that does not show the token", checks[3])
	}
}

func TestCheckBadToken(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	api := slackapi.New("xoxb-revoked-secret", slackapi.OptionAPIURL(srv.APIURL()))
	checks := New(Config{UserGroups: true}, api, SCIMOptions{}, Options{Limits: fast()}).Check(t.Context())
	if len(checks) != 1 || checks[0].OK || strings.Contains(checks[0].Detail, "secret") {
		t.Errorf("checks = %+v, want one failure without the token", checks)
	}
}

func TestErrorsAreClassified(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	c := connector(srv, Config{UserGroups: true}, Options{MaxWait: -1})
	tests := []struct {
		name   string
		inject func()
		kind   connectors.ErrorKind
	}{
		{"server error", func() { srv.FailNext("usergroups.list", http.StatusBadGateway, 1) }, connectors.KindRetryable},
		{"rate limited", func() { srv.RateLimit("usergroups.list", 5*time.Second, 1) }, connectors.KindRetryable},
		{"missing scope", func() { srv.InjectFault("usergroups.list", fakeslack.Fault{Error: "missing_scope", Times: 1}) }, connectors.KindPermission},
		{"revoked token", func() { srv.InjectFault("usergroups.list", fakeslack.Fault{Error: "token_revoked", Times: 1}) }, connectors.KindConfig},
		{"unclassified", func() { srv.InjectFault("usergroups.list", fakeslack.Fault{Error: "something_new", Times: 1}) }, connectors.KindUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.inject()
			_, err := c.Grants(t.Context(), acct(dana))
			var ce *connectors.Error
			if !errors.As(err, &ce) || ce.Kind != tc.kind || ce.System != connectors.Slack || ce.Op != "list user groups" {
				t.Errorf("err = %#v, want kind %v", err, tc.kind)
			}
		})
	}
}

func TestSlackRateLimitIsWaitedOut(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	var ops []string
	obs := func(_ connectors.System, op string, _ time.Duration, _ error) { ops = append(ops, op) }
	c := connector(srv, Config{UserGroups: true}, Options{MaxWait: 2 * time.Second, Observer: obs})
	srv.RateLimit("usergroups.users.list", time.Second, 1)
	start := time.Now()
	out, err := c.Revoke(t.Context(), groupOf("S0SEC"))
	if err != nil || out != connectors.Revoked || time.Since(start) < time.Second {
		t.Errorf("revoke = %v, %v in %v; want revoked after waiting 1 s", out, err, time.Since(start))
	}
	want := []string{"usergroups.users.list", "usergroups.users.list", "usergroups.users.update"}
	if strings.Join(ops, " ") != strings.Join(want, " ") {
		t.Errorf("observed %v, want %v", ops, want)
	}
}

func TestLimiterSpacesCalls(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	l := fast()
	l.Tier2 = Rate{PerMinute: 600, Burst: 1} // one call per 100 ms
	c := connector(srv, Config{UserGroups: true}, Options{Limits: l})
	start := time.Now()
	for range 3 {
		if _, err := c.Grants(t.Context(), acct(alex)); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 190*time.Millisecond {
		t.Errorf("3 usergroups.list calls took %v, want at least 200 ms at 10/s", d)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := (Config{}).Validate(); err == nil {
		t.Error("a section with everything off passed")
	}
	for _, cfg := range []Config{{UserGroups: true}, {SCIM: true}, {Sessions: true}, {AccessLogs: true}} {
		if err := cfg.Validate(); err != nil {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
}
