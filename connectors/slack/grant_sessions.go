package slack

import (
	"context"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// sessionsGrant is "end Slack sessions" (admin.users.session.reset), which
// needs the admin token on Enterprise Grid; without either there is no row
// (doctor says why). Only the primary owner may reset the primary owner's
// sessions, so for them it is a by-hand task unless the token is theirs.
func (c *Connector) sessionsGrant(ctx context.Context, owner connectors.Account, u *slackapi.User) (*connectors.Grant, error) {
	admin, err := c.adminOwner(ctx)
	if err != nil {
		return nil, err
	}
	if admin == nil || !admin.Grid {
		return nil, nil
	}
	g := connectors.Grant{Account: owner, Kind: KindSessions, Ref: u.ID, Title: "end Slack sessions",
		Context: []string{"every device: signs them out of Slack now"}}
	if u.IsPrimaryOwner && admin.Role != rolePrimaryOwner {
		g.Manual = "Only the primary owner can end the primary owner's sessions: " +
			"they sign out everywhere (or an org owner asks Slack), then mark it done."
	}
	return &g, nil
}
