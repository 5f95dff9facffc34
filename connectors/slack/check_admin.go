package slack

import (
	"context"
	"fmt"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// checkSCIMOwner says whose the SCIM token is and so which accounts SCIM
// cannot deactivate.
func (c *Connector) checkSCIMOwner(ctx context.Context) connectors.Check {
	const name = "slack scim limits"
	o, err := c.scimOwner(ctx)
	switch {
	case err != nil:
		return connectors.Check{Name: name, Detail: "cannot tell whose the SCIM token is: " + err.Error()}
	case o == nil:
		return connectors.Check{Name: name, Detail: errNoSCIMToken.Error()}
	}
	detail := fmt.Sprintf("the SCIM token is %s's (%s)", o.User, o.Role)
	switch o.Role {
	case rolePrimaryOwner:
		detail += "; SCIM still cannot deactivate the primary owner: that row is a by-hand task"
	case roleOwner:
		detail += "; SCIM cannot deactivate the primary owner: that row is a by-hand task"
	default:
		detail += fmt.Sprintf("; SCIM cannot deactivate owners or the primary owner with it: "+
			"those rows are by-hand tasks (a %s's token reaches only %ss and members)", o.Role, o.Role)
	}
	return connectors.Check{Name: name, OK: true, Detail: detail}
}

// checkAdminToken checks SLACK_ADMIN_TOKEN for what sessions and
// access_logs need: Enterprise Grid and admin.users:write for session
// reset; admin.users:read on Grid, or the admin scope elsewhere, for the
// dormancy scan.
func (c *Connector) checkAdminToken(ctx context.Context) connectors.Check {
	const name = "slack admin token"
	if c.admin == nil {
		return connectors.Check{Name: name, Detail: errNoAdminToken.Error() + " (sessions and access_logs need it)"}
	}
	o, err := c.adminOwner(ctx)
	if err != nil {
		return connectors.Check{Name: name, Detail: err.Error()}
	}
	var problems, works []string
	if c.cfg.Sessions {
		switch {
		case !o.Grid:
			problems = append(problems, "sessions: admin.users.session.reset exists only on Enterprise Grid")
		case !o.has("admin.users:write"):
			problems = append(problems, "sessions: missing admin.users:write")
		default:
			works = append(works, "session reset")
		}
	}
	if c.cfg.AccessLogs {
		switch {
		case o.Grid && !o.has("admin.users:read"):
			problems = append(problems, "access_logs: missing admin.users:read")
		case !o.Grid && !o.has("admin"):
			problems = append(problems, "access_logs: missing admin (team.accessLogs)")
		default:
			if err := c.probeActivity(ctx, o.Grid); err != nil {
				problems = append(problems, "access_logs: "+err.Error())
			} else if o.Grid {
				works = append(works, "dormancy from admin.users.list")
			} else {
				works = append(works, "dormancy from team.accessLogs")
			}
		}
	}
	who := fmt.Sprintf("%s's (%s)", o.User, o.Role)
	if len(problems) > 0 {
		return connectors.Check{Name: name, Detail: who + ": " + strings.Join(problems, "; ")}
	}
	return connectors.Check{Name: name, OK: true, Detail: who + ": " + strings.Join(works, ", ")}
}

// probeActivity reads one entry of the activity signal the scan will use,
// so that a free plan (paid_only) or a token whose owner is no longer an
// admin shows here rather than at the first night's scan.
func (c *Connector) probeActivity(ctx context.Context, grid bool) error {
	if grid {
		return c.call(ctx, "admin.users.list", c.lim.admin, func(ctx context.Context) error {
			_, err := c.admin.AdminUsersList(ctx, slackapi.AdminUsersListOptionLimit(1))
			return classify("list users with their activity", err)
		})
	}
	return c.call(ctx, "team.accessLogs", c.lim.admin, func(ctx context.Context) error {
		_, _, err := c.admin.GetAccessLogsContext(ctx, slackapi.AccessLogParameters{Limit: 1})
		return classify("read access logs", err)
	})
}
