package flows

import (
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
)

func TestTheFirstMatchingRuleDecides(t *testing.T) {
	now := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	recent := now.Add(-3 * 24 * time.Hour)
	old := now.Add(-30 * 24 * time.Hour)
	cfg := Config{Policy: PolicyConfig{ApprovalsRequired: 1, Rules: []Rule{
		{Match: Match{System: "github", ActiveWithinDays: 14}, ApprovalsRequired: 2},
		{Match: Match{System: "slack", Action: "usergroup"}, AutoApprove: true},
		{Match: Match{Action: "access_key"}, ApprovalsRequired: 3},
	}}}
	cases := []struct {
		name  string
		grant connectors.Grant
		want  Decision
	}{
		{"a recently active GitHub member needs two approvals",
			connectors.Grant{Account: connectors.Account{System: connectors.GitHub}, Kind: "membership", LastActive: &recent},
			Decision{ApprovalsRequired: 2, Why: "needs 2 approvals from different people by policy rule 1 (github, active within 14 days)"}},
		{"a GitHub member idle for a month gets the default",
			connectors.Grant{Account: connectors.Account{System: connectors.GitHub}, Kind: "membership", LastActive: &old},
			Decision{ApprovalsRequired: 1, Why: "needs 1 approval"}},
		{"a GitHub member never active gets the default",
			connectors.Grant{Account: connectors.Account{System: connectors.GitHub}, Kind: "membership"},
			Decision{ApprovalsRequired: 1, Why: "needs 1 approval"}},
		{"a Slack user group is auto-approved",
			connectors.Grant{Account: connectors.Account{System: connectors.Slack}, Kind: "usergroup"},
			Decision{AutoApprove: true, Why: "auto-approved by policy rule 2 (slack, usergroup)"}},
		{"a rule without a system matches any system",
			connectors.Grant{Account: connectors.Account{System: connectors.AWS}, Kind: "access_key", LastActive: &recent},
			Decision{ApprovalsRequired: 3, Why: "needs 3 approvals from different people by policy rule 3 (access_key)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := cfg.Decide(tc.grant, now); got != tc.want {
				t.Errorf("Decide = %+v; want %+v", got, tc.want)
			}
		})
	}
}

func TestBackoffGrowsWithJitterAndIsCapped(t *testing.T) {
	cfg := Config{Execution: ExecutionConfig{BackoffMin: Duration(30 * time.Second), BackoffMax: Duration(30 * time.Minute)}}
	for _, tc := range []struct {
		jitter  float64
		attempt int
		asked   time.Duration
		want    time.Duration
	}{
		{0, 1, 0, 15 * time.Second},
		{1, 1, 0, 30 * time.Second},
		{0.5, 2, 0, 45 * time.Second},
		{0.5, 3, 0, 90 * time.Second},
		{1, 20, 0, 30 * time.Minute},
		{0, 1, 2 * time.Minute, 2 * time.Minute}, // the system asked for longer
	} {
		s := &Service{cfg: cfg, jitter: func() float64 { return tc.jitter }}
		if got := s.backoff(tc.attempt, tc.asked); got != tc.want {
			t.Errorf("backoff(attempt %d, jitter %.1f, asked %s) = %s; want %s", tc.attempt, tc.jitter, tc.asked, got, tc.want)
		}
	}
}
