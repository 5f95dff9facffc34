package aws

import (
	"context"
	"path"
	"strings"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// Grants lists what the IAM user acct.ID can use in this account now. An
// account of another AWS account, or a user that does not exist, has no
// grants here.
func (c *Connector) Grants(ctx context.Context, acct connectors.Account) ([]connectors.Grant, error) {
	if !c.owns(acct) {
		return nil, nil
	}
	ctx, cancel := awsapi.WithDeadline(ctx, c.opts.Timeout)
	defer cancel()
	inv, err := c.fetch(ctx, acct.ID, true)
	if err != nil || inv == nil {
		return nil, err
	}
	var gs []connectors.Grant
	for _, kind := range []func(connectors.Account, *inventory) []connectors.Grant{
		c.passwordGrant, c.accessKeys().grants, c.sshKeys().grants, c.signingCerts().grants,
		c.serviceCreds().grants, c.mfaGrants, c.policiesGrant, c.userGrant,
	} {
		gs = append(gs, kind(acct, inv)...)
	}
	if c.mode == ModeDelete || !c.denied(inv.inline, inv.attached) {
		roles, err := c.assumableRoles(ctx, acct.ID, inv)
		if err != nil {
			return nil, err
		}
		gs = append(gs, c.roleSessionGrants(acct, roles)...)
	}
	if c.isSelf(acct.ID) {
		for i := range gs {
			gs[i].Protected = "the bot's own IAM user: its credentials"
		}
	}
	c.log.Debug().Str("user", acct.ID).Int("grants", len(gs)).Msg("listed grants")
	return gs, nil
}

// isSelf says whether user is the IAM user of this account whose
// credentials the bot runs with.
func (c *Connector) isSelf(user string) bool {
	parts := strings.SplitN(c.caller, ":", 6)
	if len(parts) != 6 || parts[4] != c.accountID || !strings.HasPrefix(parts[5], "user/") {
		return false
	}
	return path.Base(parts[5]) == user
}

// owns says whether acct is an IAM user this connector answers for: an
// AWS account with no scope, or scoped to this account's ID or name.
func (c *Connector) owns(acct connectors.Account) bool {
	if acct.System != "" && acct.System != connectors.AWS {
		return false
	}
	return acct.ID != "" && (acct.Scope == "" || acct.Scope == c.accountID || acct.Scope == c.name)
}
