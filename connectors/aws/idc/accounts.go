package idc

import (
	"context"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// accountNames returns the organisation's account names by ID, read with
// ListAccounts (Identity Center lives in the management account, which may
// list them) and reused for Options.NameCacheTTL. Without permission, or
// outside an organisation, rows show account IDs alone: a name is a help
// to the approver, not something to fail discovery for.
func (c *Connector) accountNames(ctx context.Context) map[string]string {
	now := c.opts.Clock()
	c.mu.Lock()
	if c.accounts != nil && now.Sub(c.accountsRead) < c.opts.NameCacheTTL {
		names := c.accounts
		c.mu.Unlock()
		return names
	}
	c.mu.Unlock()
	names := map[string]string{}
	err := awsapi.Pages(ctx, connectors.IdentityCenter, "list accounts", 0, func(ctx context.Context, token *string) (*string, error) {
		out, err := c.org.ListAccounts(ctx, &organizations.ListAccountsInput{NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, a := range out.Accounts {
			names[awssdk.ToString(a.Id)] = awssdk.ToString(a.Name)
		}
		return out.NextToken, nil
	})
	if err != nil {
		c.log.Info().Err(err).Msg("account names unavailable; rows show account IDs")
	}
	c.mu.Lock()
	c.accounts, c.accountsRead = names, now
	c.mu.Unlock()
	return names
}

// accountLabel is "prod (111111111111)", or the ID when the name is unknown.
func accountLabel(names map[string]string, id string) string {
	if n := names[id]; n != "" {
		return n + " (" + id + ")"
	}
	return "account " + id
}
