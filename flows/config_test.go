package flows

import (
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func TestTheDefaultsAreValid(t *testing.T) {
	var c Config
	c.Defaults()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Location() != time.UTC || c.ExecuteAtOffset() != 9*time.Hour || !c.TwoPersonRule() ||
		c.Reminders.After.D() != 4*time.Hour || c.Execution.Attempts != 5 || c.Dormancy.InactiveDays != 90 {
		t.Errorf("defaults %+v", c)
	}
}

func TestValidateNamesEveryMistake(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(c *Config)
		want string // a part of the error
	}{
		{"a time zone that is not IANA", func(c *Config) { c.Timezone = "Mars/Olympus" }, "timezone:"},
		{"the local time zone", func(c *Config) { c.Timezone = "Local" }, "timezone:"},
		{"a time of day out of range", func(c *Config) { c.ExecuteAt = "25:00" }, "execute_at:"},
		{"too many approvals", func(c *Config) { c.Policy.ApprovalsRequired = 6 }, "policy.approvals_required: 6"},
		{"a rule for an unknown system", func(c *Config) {
			c.Policy.Rules = []Rule{{Match: Match{System: "jira"}, ApprovalsRequired: 1}}
		}, `policy.rules[0].match.system: "jira"`},
		{"a negative activity window", func(c *Config) {
			c.Policy.Rules = []Rule{{Match: Match{ActiveWithinDays: -1}, ApprovalsRequired: 1}}
		}, "active_within_days"},
		{"auto-approve with a count", func(c *Config) {
			c.Policy.Rules = []Rule{{AutoApprove: true, ApprovalsRequired: 2}}
		}, "exclude each other"},
		{"a rule that sets nothing", func(c *Config) { c.Policy.Rules = []Rule{{Match: Match{System: "github"}}} }, "set approvals_required"},
		{"reminders too often", func(c *Config) { c.Reminders.After = Duration(time.Second) }, "reminders.after"},
		{"no attempts", func(c *Config) { c.Execution.Attempts = 51 }, "execution.attempts"},
		{"backoff upside down", func(c *Config) { c.Execution.BackoffMax = Duration(time.Second) }, "backoff_min"},
		{"a schedule that is not cron", func(c *Config) { c.Dormancy.Schedule = "nightly" }, "dormancy.schedule"},
		{"a dormancy window out of range", func(c *Config) { c.Dormancy.InactiveDays = 4000 }, "dormancy.inactive_days"},
		{"an identity that links nothing", func(c *Config) { c.Identities = []IdentityConfig{{Name: "x"}} }, "links nothing"},
		{"a Slack ID that is not one", func(c *Config) { c.Identities = []IdentityConfig{{Slack: "dev", GitHub: "octo"}} }, "not a Slack user ID"},
		{"a person twice", func(c *Config) {
			c.Identities = []IdentityConfig{{Slack: "U0DEV", GitHub: "a"}, {Slack: "U0DEV", GitHub: "b"}}
		}, "already linked in identities[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c Config
			c.Defaults()
			tc.edit(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate = %v; want an error with %q", err, tc.want)
			}
		})
	}
	// Every mistake at once, not only the first.
	c := Config{Timezone: "Nowhere", ExecuteAt: "9am"}
	c.Defaults()
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "timezone") || !strings.Contains(err.Error(), "execute_at") {
		t.Errorf("Validate = %v; want both mistakes", err)
	}
}

func TestDurationsAreReadAsGoDurations(t *testing.T) {
	var c struct {
		Reminders RemindersConfig `yaml:"reminders"`
		Execution ExecutionConfig `yaml:"execution"`
	}
	if err := yaml.Unmarshal([]byte("reminders: {after: 90m}\nexecution: {backoff_min: 10s}\n"), &c); err != nil {
		t.Fatal(err)
	}
	if c.Reminders.After.D() != 90*time.Minute || c.Execution.BackoffMin.D() != 10*time.Second {
		t.Errorf("read %+v", c)
	}
	err := yaml.Unmarshal([]byte("reminders: {after: four hours}\nexecution: {backoff_min: -1s}\n"), &c)
	if err == nil || !strings.Contains(err.Error(), `line 1: "four hours" is not a duration`) ||
		!strings.Contains(err.Error(), `line 2: "-1s" is not a duration`) {
		t.Errorf("Unmarshal = %v; want both lines named", err)
	}
}
