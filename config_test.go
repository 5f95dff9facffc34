package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestTheExampleConfigLoads(t *testing.T) {
	cfg, err := loadConfig("offboard.example.yml")
	if err != nil {
		t.Fatalf("offboard.example.yml does not load: %v", err)
	}
	if cfg.Flows.Location().String() != "Europe/Berlin" || cfg.Flows.ExecuteAtOffset() != 9*time.Hour {
		t.Errorf("zone %v execute_at %v; want Europe/Berlin and 09:00", cfg.Flows.Location(), cfg.Flows.ExecuteAtOffset())
	}
	if cfg.Slack.ApprovalsChannel != "C0APPROVALS" || cfg.GitHub == nil || cfg.GitHub.Org != "acme" || cfg.AWS == nil || len(cfg.AWS.Accounts) != 1 {
		t.Errorf("sections not read: %+v %+v %+v", cfg.Slack, cfg.GitHub, cfg.AWS)
	}
	if len(cfg.Flows.Policy.Rules) != 2 || !cfg.Flows.Policy.Rules[1].AutoApprove || len(cfg.Manual.Tasks) != 2 {
		t.Errorf("policy or manual tasks not read: %+v %+v", cfg.Flows.Policy, cfg.Manual)
	}
	if cfg.Flows.Reminders.After.D() != 4*time.Hour || cfg.Flows.Execution.BackoffMax.D() != 30*time.Minute {
		t.Errorf("durations not read: %+v %+v", cfg.Flows.Reminders, cfg.Flows.Execution)
	}
}

const minimal = `
slack:
  approvals_channel: C0APPROVALS
  requesters: [S0MANAGERS]
  approvers: [S0SECURITY]
`

func TestAMinimalConfigGetsTheDefaults(t *testing.T) {
	cfg, err := parseConfig([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	f := cfg.Flows
	if f.Location().String() != "UTC" || f.ExecuteAt != "09:00" || f.Policy.ApprovalsRequired != 1 || !f.TwoPersonRule() ||
		f.Reminders.After.D() != 4*time.Hour || f.Execution.Attempts != 5 || f.Execution.BackoffMin.D() != 30*time.Second ||
		f.Dormancy.Schedule != "0 3 * * *" || f.Dormancy.InactiveDays != 90 {
		t.Errorf("defaults = %+v", f)
	}
	if cfg.GitHub != nil || cfg.AWS != nil || cfg.SlackConnector != nil {
		t.Error("a connector without a section must be off")
	}
}

func TestEachKindOfMistakeIsNamed(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string
	}{
		{"an unknown top-level key, with its line", minimal + "reminderz: {after: 4h}\n", []string{`line 6: unknown key "reminderz"`, "known keys:"}},
		{"an unknown nested key, with its line and section", minimal + "policy:\n  approvals: 2\n", []string{`line 7: unknown key "approvals" in policy`}},
		{"an unknown key inside a rule", minimal + "policy:\n  rules:\n    - match: {sytem: github}\n      approvals_required: 2\n", []string{`unknown key "sytem" in policy.rules[0].match`}},
		{"a bad duration", minimal + "reminders: {after: 4 hours}\n", []string{`line 6: "4 hours" is not a duration`}},
		{"a bad time zone", minimal + "timezone: Mars/Olympus\n", []string{`timezone: "Mars/Olympus" is not an IANA time zone`}},
		{"a bad execute_at", minimal + "execute_at: 9am\n", []string{`execute_at: "9am" is not a time of day`}},
		{"a missing channel", "slack: {requesters: [S0A], approvers: [S0B]}\n", []string{"slack.approvals_channel: missing"}},
		{"a channel name instead of an ID", "slack: {approvals_channel: '#security', requesters: [S0A], approvers: [S0B]}\n", []string{`"#security" is not a channel ID`}},
		{"a bad cron schedule", minimal + "dormancy: {schedule: '0 3 * *'}\n", []string{`dormancy.schedule: "0 3 * *" is not a cron schedule`}},
		{"a rule with neither approvals nor auto_approve", minimal + "policy:\n  rules:\n    - match: {system: github}\n", []string{"policy.rules[0]: set approvals_required"}},
		{"an unknown system in a rule", minimal + "policy:\n  rules:\n    - match: {system: gitlab}\n      auto_approve: true\n", []string{`"gitlab" is not a system`}},
		{"a wrong type", minimal + "execution: {attempts: many}\n", []string{"line 6", "many"}},
		{"a bad aws mode", minimal + "aws: {mode: destroy}\n", []string{"aws", "destroy"}},
		{"an empty github org", minimal + "github: {org: ''}\n", []string{"github"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig([]byte(tc.yaml))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestAllMistakesAreReportedTogether(t *testing.T) {
	_, err := parseConfig([]byte("timezone: Nowhere/Land\nslack: {approvals_channel: C0A, requesters: [S0A], approvers: [S0B], approverz: []}\nreminders: {after: soon}\ndormancy: {schedule: never}\n"))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, w := range []string{"timezone", `unknown key "approverz"`, `"soon" is not a duration`, "dormancy.schedule"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("the report %q lacks %q", err, w)
		}
	}
}

func TestSecretsComeFromTheEnvironmentOrFiles(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/bot"
	os.WriteFile(file, []byte("xoxb-from-file\n"), 0o600)
	vars := map[string]string{"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN_FILE": file}
	s, err := loadSecrets(func(k string) string { return vars[k] })
	if err != nil || s.SlackBotToken != "xoxb-from-file" || s.SlackAppToken != "xapp-1" {
		t.Fatalf("secrets = %+v, %v", s, err)
	}
	vars["SLACK_BOT_TOKEN"] = "xoxb-also"
	if _, err := loadSecrets(func(k string) string { return vars[k] }); err == nil || !strings.Contains(err.Error(), "both set") {
		t.Errorf("VAR and VAR_FILE both set: err = %v", err)
	}
	if _, err := loadSecrets(func(k string) string { return map[string]string{"SLACK_BOT_TOKEN": "xapp-wrong"}[k] }); err == nil {
		t.Error("an app token given as the bot token was accepted")
	}
}
