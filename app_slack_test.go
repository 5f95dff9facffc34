package main

import (
	"slices"
	"testing"

	slackconn "github.com/offboard/offboard/connectors/slack"
)

func TestSlackAdminTokenIsAUserTokenAndASecret(t *testing.T) {
	s, err := loadSecrets(func(k string) string { return map[string]string{"SLACK_ADMIN_TOKEN": "xoxp-admin"}[k] })
	if err != nil || s.SlackAdminToken != "xoxp-admin" || !slices.Contains(s.values(), "xoxp-admin") {
		t.Errorf("secrets = %+v, %v; want the admin token, redacted like the others", s, err)
	}
	if _, err := loadSecrets(func(k string) string { return map[string]string{"SLACK_ADMIN_TOKEN": "xoxb-bot"}[k] }); err == nil {
		t.Error("a bot token given as the admin token was accepted")
	}
}

func TestSlackWordsSayWhatIsOffAndWhy(t *testing.T) {
	all := slackconn.Config{UserGroups: true, SCIM: true, Sessions: true, AccessLogs: true}
	for _, tc := range []struct {
		cfg         slackconn.Config
		scim, admin string
		want        string
	}{
		{all, "x", "x", "user groups, SCIM account deactivation, session reset (Enterprise Grid), dormancy scan"},
		{all, "", "", "user groups; SCIM account deactivation off: no SLACK_SCIM_TOKEN; " +
			"session reset (Enterprise Grid) off: no SLACK_ADMIN_TOKEN; dormancy scan off: no SLACK_ADMIN_TOKEN"},
		{slackconn.Config{AccessLogs: true}, "", "", "dormancy scan off: no SLACK_ADMIN_TOKEN"},
	} {
		if got := slackWords(tc.cfg, tc.scim, tc.admin); got != tc.want {
			t.Errorf("slackWords(%+v) = %q, want %q", tc.cfg, got, tc.want)
		}
	}
}
