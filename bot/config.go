package bot

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Config is the `slack:` section: where approvals happen and who may
// request and approve. Entries are user-group IDs (S…) or
// user IDs (U…/W…).
type Config struct {
	ApprovalsChannel string   `yaml:"approvals_channel"`
	Requesters       []string `yaml:"requesters"`
	Approvers        []string `yaml:"approvers"`
	// Sockets is the number of parallel Socket Mode connections, 1–10
	// (0 means 1). Slack hands each envelope to one of them.
	Sockets int `yaml:"sockets"`
}

// maxSockets is Slack's limit of concurrent Socket Mode connections per app.
const maxSockets = 10

var (
	channelID = regexp.MustCompile(`^[CG][A-Z0-9]{2,}$`)
	principal = regexp.MustCompile(`^[SUW][A-Z0-9]{2,}$`)
)

// Validate checks the section and reports every mistake.
func (c *Config) Validate() error {
	var errs []error
	switch {
	case c.ApprovalsChannel == "":
		errs = append(errs, errors.New("slack.approvals_channel: missing (the ID of the channel where checklists are posted, like C0APPROVALS)"))
	case !channelID.MatchString(c.ApprovalsChannel):
		errs = append(errs, fmt.Errorf("slack.approvals_channel: %q is not a channel ID (like C0APPROVALS; a name such as #security does not work)", c.ApprovalsChannel))
	}
	check := func(key string, list []string) {
		if len(list) == 0 {
			errs = append(errs, fmt.Errorf("slack.%s: empty (list user-group IDs S… or user IDs U…)", key))
		}
		for _, p := range list {
			if !principal.MatchString(p) {
				errs = append(errs, fmt.Errorf("slack.%s: %q is not a user-group ID (S…) or user ID (U…)", key, p))
			}
		}
	}
	if c.Sockets < 0 || c.Sockets > maxSockets {
		errs = append(errs, fmt.Errorf("slack.sockets: %d is out of range (1 to %d Socket Mode connections)", c.Sockets, maxSockets))
	}
	check("requesters", c.Requesters)
	check("approvers", c.Approvers)
	return errors.Join(errs...)
}

// RoleGroups are the user groups (S…) among the requesters and approvers:
// removing someone from one of them always needs an explicit approval.
func (c Config) RoleGroups() []string {
	var out []string
	for _, id := range append(append([]string{}, c.Requesters...), c.Approvers...) {
		if strings.HasPrefix(id, "S") {
			out = append(out, id)
		}
	}
	return out
}
