package slack

import (
	"context"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// accountGrant is the SCIM deactivation of the account. SCIM cannot act on
// the primary owner (who must first transfer primary ownership) nor on
// accounts with more permissions than the SCIM token's owner, so those
// become by-hand tasks; the owner of a token offboard uses is Protected.
func (c *Connector) accountGrant(ctx context.Context, owner connectors.Account, u *slackapi.User) connectors.Grant {
	var info []string
	r := roleOf(u)
	if r > roleMember {
		info = append(info, r.String())
	}
	if u.Profile.Email != "" {
		info = append(info, u.Profile.Email)
	}
	g := connectors.Grant{Account: owner, Kind: KindAccount, Ref: u.ID, Title: "Slack account (SCIM deactivate)", Context: info}
	scim, scimErr := c.scimOwner(ctx)
	admin, _ := c.adminOwner(ctx)
	switch {
	case scim != nil && scim.User == u.ID:
		g.Protected = "owns SLACK_SCIM_TOKEN: deactivating it would revoke offboard's own credential"
	case admin != nil && admin.User == u.ID:
		g.Protected = "owns SLACK_ADMIN_TOKEN: deactivating it would revoke offboard's own credential"
	case r == rolePrimaryOwner:
		g.Manual = "The primary owner cannot be deactivated: transfer primary ownership " +
			"(Manage members › Transfer ownership), then deactivate the account by hand."
	case scim != nil && r > scim.Role:
		g.Manual = "SCIM acts only on accounts with the same or fewer permissions than its token's owner (" +
			scim.Role.String() + "), so it cannot deactivate this " + r.String() + ": an owner deactivates the account by hand."
	case scim == nil && scimErr != nil && r >= roleOwner:
		g.Warning = "could not tell whose the SCIM token is; SCIM refuses owners unless the token is an owner's"
	}
	return g
}
