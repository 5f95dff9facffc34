package flows

import (
	"fmt"
	"strings"
	"time"

	"github.com/offboard/offboard/connectors"
)

// Decision is what the policy asks of one action.
type Decision struct {
	ApprovalsRequired int
	AutoApprove       bool
	// Why says which rule applied, in words for the checklist.
	Why string
}

// Decide applies the policy to a grant: the first rule that
// matches decides; otherwise the defaults apply.
func (c *Config) Decide(g connectors.Grant, now time.Time) Decision {
	for i, r := range c.Policy.Rules {
		if !r.Match.matches(g, now) {
			continue
		}
		what := r.Match.words()
		if r.AutoApprove {
			return Decision{AutoApprove: true, Why: fmt.Sprintf("auto-approved by policy rule %d (%s)", i+1, what)}
		}
		return Decision{ApprovalsRequired: r.ApprovalsRequired,
			Why: fmt.Sprintf("needs %s by policy rule %d (%s)", approvals(r.ApprovalsRequired), i+1, what)}
	}
	n := c.Policy.ApprovalsRequired
	return Decision{ApprovalsRequired: n, Why: "needs " + approvals(n)}
}

func approvals(n int) string {
	if n == 1 {
		return "1 approval"
	}
	return fmt.Sprintf("%d approvals from different people", n)
}

func (m Match) matches(g connectors.Grant, now time.Time) bool {
	if m.System != "" && m.System != string(g.Account.System) {
		return false
	}
	if m.Action != "" && m.Action != g.Kind {
		return false
	}
	if m.ActiveWithinDays > 0 {
		if g.LastActive == nil || now.Sub(*g.LastActive) > time.Duration(m.ActiveWithinDays)*24*time.Hour {
			return false
		}
	}
	return true
}

func (m Match) words() string {
	var w []string
	if m.System != "" {
		w = append(w, m.System)
	}
	if m.Action != "" {
		w = append(w, m.Action)
	}
	if m.ActiveWithinDays > 0 {
		w = append(w, fmt.Sprintf("active within %d days", m.ActiveWithinDays))
	}
	if len(w) == 0 {
		return "every action"
	}
	return strings.Join(w, ", ")
}
