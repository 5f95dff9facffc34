package slack

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/offboard/offboard/connectors"
)

// RequiredScopes are the bot scopes the connector's features need.
func (c *Connector) RequiredScopes() []string {
	scopes := []string{"users:read", "users:read.email"}
	if c.cfg.UserGroups {
		scopes = append(scopes, "usergroups:read", "usergroups:write")
	}
	return scopes
}

// Check tests the bot token, its scopes (from the X-OAuth-Scopes header
// Slack sends with every answer), whether the bot may edit user groups,
// with SCIM on the SCIM token and whom it cannot deactivate, and with
// sessions or access_logs on the admin token.
func (c *Connector) Check(ctx context.Context) []connectors.Check {
	resp, err := c.authTest(ctx)
	if err != nil {
		return []connectors.Check{{Name: "slack token", OK: false, Detail: err.Error()}}
	}
	checks := []connectors.Check{{Name: "slack token", OK: true,
		Detail: fmt.Sprintf("team %s, bot user %s", resp.TeamID, resp.UserID)}}
	checks = append(checks, c.checkScopes(resp.Header))
	if c.cfg.UserGroups {
		checks = append(checks, c.checkGroupEditing(ctx))
	}
	if c.cfg.SCIM {
		checks = append(checks, c.checkSCIM(ctx))
		if checks[len(checks)-1].OK {
			checks = append(checks, c.checkSCIMOwner(ctx))
		}
	}
	if c.cfg.Sessions || c.cfg.AccessLogs {
		checks = append(checks, c.checkAdminToken(ctx))
	}
	return checks
}

func (c *Connector) checkScopes(h http.Header) connectors.Check {
	raw := h.Get("X-OAuth-Scopes")
	if raw == "" {
		return connectors.Check{Name: "slack scopes", OK: true, Detail: "Slack did not report the token's scopes"}
	}
	var have []string
	for _, s := range strings.Split(raw, ",") {
		have = append(have, strings.TrimSpace(s))
	}
	var missing []string
	for _, s := range c.RequiredScopes() {
		if !slices.Contains(have, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		return connectors.Check{Name: "slack scopes", OK: false, Detail: "missing " + strings.Join(missing, ", ")}
	}
	return connectors.Check{Name: "slack scopes", OK: true, Detail: strings.Join(c.RequiredScopes(), ", ")}
}

func (c *Connector) checkSCIM(ctx context.Context) connectors.Check {
	if c.scim.Token == "" {
		return connectors.Check{Name: "slack scim", OK: false, Detail: errNoSCIMToken.Error()}
	}
	if _, err := c.scimDo(ctx, "scim list users", http.MethodGet, "Users?count=1", nil); err != nil {
		return connectors.Check{Name: "slack scim", OK: false, Detail: scimError("check scim token", err).Error()}
	}
	return connectors.Check{Name: "slack scim", OK: true, Detail: "SCIM token accepted"}
}
