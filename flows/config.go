package flows

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/offboard/offboard/connectors"
)

// Config is the flows' part of the configuration file: the top-level keys
// timezone, execute_at, policy, reminders, execution, dormancy and identities.
type Config struct {
	Timezone   string           `yaml:"timezone"`
	ExecuteAt  string           `yaml:"execute_at"`
	Policy     PolicyConfig     `yaml:"policy"`
	Reminders  RemindersConfig  `yaml:"reminders"`
	Execution  ExecutionConfig  `yaml:"execution"`
	Dormancy   DormancyConfig   `yaml:"dormancy"`
	Identities []IdentityConfig `yaml:"identities"`

	location  *time.Location
	executeAt time.Duration
}

// PolicyConfig says how many approvals an action needs.
type PolicyConfig struct {
	ApprovalsRequired int `yaml:"approvals_required"`
	// TwoPersonRule forbids a case's requester to approve its actions.
	// A pointer, because an absent key means true.
	TwoPersonRule *bool  `yaml:"two_person_rule"`
	Rules         []Rule `yaml:"rules"`
}

// Rule raises or lowers the bar for the actions it matches. The first rule
// that matches an action decides; an action no rule matches gets the
// defaults.
type Rule struct {
	Match             Match `yaml:"match"`
	ApprovalsRequired int   `yaml:"approvals_required"`
	AutoApprove       bool  `yaml:"auto_approve"`
}

// Match selects actions. Empty fields match anything.
type Match struct {
	System string `yaml:"system"`
	// Action is the grant kind: membership, access_key, usergroup, …
	Action string `yaml:"action"`
	// ActiveWithinDays matches a grant used within that many days.
	ActiveWithinDays int `yaml:"active_within_days"`
}

// RemindersConfig sets when an action waiting for approval is recalled.
type RemindersConfig struct {
	After Duration `yaml:"after"`
}

// ExecutionConfig sets the retries of a failing revocation.
type ExecutionConfig struct {
	Attempts   int      `yaml:"attempts"`
	BackoffMin Duration `yaml:"backoff_min"`
	BackoffMax Duration `yaml:"backoff_max"`
}

// DormancyConfig sets the nightly dormant-account scan.
type DormancyConfig struct {
	Schedule     string `yaml:"schedule"`
	InactiveDays int    `yaml:"inactive_days"`
}

// IdentityConfig links one person's accounts by hand in the file.
type IdentityConfig struct {
	Slack  string `yaml:"slack"`
	GitHub string `yaml:"github"`
	// AWS is an IAM user name, optionally user@account (account ID or name);
	// without an account it applies to every configured account.
	AWS   string `yaml:"aws"`
	Email string `yaml:"email"`
	Name  string `yaml:"name"`
}

// Duration is a time.Duration written as "30s", "4h" in the file.
type Duration time.Duration

// UnmarshalYAML reads a Go duration string and says where it went wrong.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 || n.Kind != yaml.ScalarNode {
		// A TypeError lets the decoder go on and report every mistake.
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %q is not a duration (write it like 30s, 15m or 4h)", n.Line, n.Value)}}
	}
	*d = Duration(v)
	return nil
}

// D is the duration as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Defaults fills in what the file left out.
func (c *Config) Defaults() {
	if c.Timezone == "" {
		c.Timezone = "UTC"
	}
	if c.ExecuteAt == "" {
		c.ExecuteAt = "09:00"
	}
	if c.Policy.ApprovalsRequired == 0 {
		c.Policy.ApprovalsRequired = 1
	}
	if c.Policy.TwoPersonRule == nil {
		on := true
		c.Policy.TwoPersonRule = &on
	}
	if c.Reminders.After == 0 {
		c.Reminders.After = Duration(4 * time.Hour)
	}
	if c.Execution.Attempts == 0 {
		c.Execution.Attempts = 5
	}
	if c.Execution.BackoffMin == 0 {
		c.Execution.BackoffMin = Duration(30 * time.Second)
	}
	if c.Execution.BackoffMax == 0 {
		c.Execution.BackoffMax = Duration(30 * time.Minute)
	}
	if c.Dormancy.Schedule == "" {
		c.Dormancy.Schedule = "0 3 * * *"
	}
	if c.Dormancy.InactiveDays == 0 {
		c.Dormancy.InactiveDays = 90
	}
}

var hhmm = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)

// CronParser is the dormancy schedule's grammar: five fields or a
// descriptor such as @daily.
var CronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Validate checks the section after Defaults and reports every mistake.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }

	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || strings.EqualFold(c.Timezone, "local") {
		bad("timezone: %q is not an IANA time zone (write it like Europe/Berlin or UTC)", c.Timezone)
	} else {
		c.location = loc
	}
	if m := hhmm.FindStringSubmatch(c.ExecuteAt); m == nil {
		bad("execute_at: %q is not a time of day (write it as HH:MM, like 09:00)", c.ExecuteAt)
	} else {
		var h, mi int
		fmt.Sscanf(c.ExecuteAt, "%d:%d", &h, &mi)
		c.executeAt = time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute
	}
	if n := c.Policy.ApprovalsRequired; n < 1 || n > 5 {
		bad("policy.approvals_required: %d is out of range (1 to 5)", n)
	}
	for i, r := range c.Policy.Rules {
		where := fmt.Sprintf("policy.rules[%d]", i)
		switch connectors.System(r.Match.System) {
		case "", connectors.GitHub, connectors.AWS, connectors.Slack, connectors.Manual:
		default:
			bad("%s.match.system: %q is not a system (github, aws, slack or manual)", where, r.Match.System)
		}
		if r.Match.ActiveWithinDays < 0 {
			bad("%s.match.active_within_days: must not be negative", where)
		}
		if r.AutoApprove && r.ApprovalsRequired != 0 {
			bad("%s: auto_approve and approvals_required exclude each other", where)
		}
		if !r.AutoApprove && (r.ApprovalsRequired < 1 || r.ApprovalsRequired > 5) {
			bad("%s: set approvals_required (1 to 5) or auto_approve: true", where)
		}
	}
	if c.Reminders.After < Duration(time.Minute) {
		bad("reminders.after: %s is too short (at least 1m)", c.Reminders.After.D())
	}
	if n := c.Execution.Attempts; n < 1 || n > 50 {
		bad("execution.attempts: %d is out of range (1 to 50)", n)
	}
	if c.Execution.BackoffMin.D() <= 0 || c.Execution.BackoffMax.D() < c.Execution.BackoffMin.D() {
		bad("execution: backoff_min (%s) must be positive and not above backoff_max (%s)", c.Execution.BackoffMin.D(), c.Execution.BackoffMax.D())
	}
	if _, err := CronParser.Parse(c.Dormancy.Schedule); err != nil {
		bad("dormancy.schedule: %q is not a cron schedule (five fields like \"0 3 * * *\", or @daily): %v", c.Dormancy.Schedule, err)
	}
	if n := c.Dormancy.InactiveDays; n < 1 || n > 3650 {
		bad("dormancy.inactive_days: %d is out of range (1 to 3650)", n)
	}
	seen := map[string]int{}
	for i, id := range c.Identities {
		where := fmt.Sprintf("identities[%d]", i)
		if id.Slack == "" && id.GitHub == "" && id.AWS == "" {
			bad("%s: links nothing (give slack, github or aws)", where)
		}
		if id.Slack != "" && !slackUserID.MatchString(id.Slack) {
			bad("%s.slack: %q is not a Slack user ID (like U0123ABCD)", where, id.Slack)
		}
		if id.Slack != "" {
			if j, dup := seen[id.Slack]; dup {
				bad("%s.slack: %s is already linked in identities[%d]", where, id.Slack, j)
			}
			seen[id.Slack] = i
		}
	}
	return errors.Join(errs...)
}

var slackUserID = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)

// Location is the configured time zone; valid after Validate.
func (c *Config) Location() *time.Location {
	if c.location == nil {
		return time.UTC
	}
	return c.location
}

// ExecuteAtOffset is execute_at as a duration after midnight; valid after Validate.
func (c *Config) ExecuteAtOffset() time.Duration { return c.executeAt }

// TwoPersonRule says whether requesters are kept from approving their own cases.
func (c *Config) TwoPersonRule() bool {
	return c.Policy.TwoPersonRule == nil || *c.Policy.TwoPersonRule
}
