package aws

import (
	"context"

	"github.com/offboard/offboard/connectors"
)

// Grants lists what the IAM user acct.ID can use in this account now. An
// account of another AWS account, or a user that does not exist, has no
// grants here.
func (c *Connector) Grants(ctx context.Context, acct connectors.Account) ([]connectors.Grant, error) {
	if !c.owns(acct) {
		return nil, nil
	}
	inv, err := c.fetch(ctx, acct.ID, true)
	if err != nil || inv == nil {
		return nil, err
	}
	var gs []connectors.Grant
	for _, kind := range []func(connectors.Account, *inventory) []connectors.Grant{
		c.passwordGrant, c.accessKeyGrants, c.sshKeyGrants, c.signingCertGrants,
		c.serviceCredGrants, c.mfaGrants, c.policiesGrant, c.userGrant,
	} {
		gs = append(gs, kind(acct, inv)...)
	}
	c.log.Debug().Str("user", acct.ID).Int("grants", len(gs)).Msg("listed grants")
	return gs, nil
}

// owns says whether acct is an IAM user this connector answers for: an
// AWS account with no scope, or scoped to this account's ID or name.
func (c *Connector) owns(acct connectors.Account) bool {
	if acct.System != "" && acct.System != connectors.AWS {
		return false
	}
	return acct.ID != "" && (acct.Scope == "" || acct.Scope == c.accountID || acct.Scope == c.name)
}
