package slack

import (
	"context"

	"github.com/offboard/offboard/connectors"
)

// FindByEmail finds the active Slack account with this profile email
// (users.lookupByEmail; needs users:read.email). No account is no error.
func (c *Connector) FindByEmail(ctx context.Context, email string) ([]connectors.Account, error) {
	team, err := c.teamID(ctx)
	if err != nil {
		return nil, err
	}
	var id string
	err = c.call(ctx, "users.lookupByEmail", c.lim.tier3, func(ctx context.Context) error {
		u, err := c.api.GetUserByEmailContext(ctx, email)
		if err == nil {
			id = u.ID
		}
		return err
	})
	if slackCode(err) == "users_not_found" {
		return nil, nil
	}
	if err != nil {
		return nil, classify("find user by email", err)
	}
	return []connectors.Account{c.account(team, id, connectors.LinkEmail)}, nil
}
