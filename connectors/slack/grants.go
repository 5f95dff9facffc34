package slack

import (
	"context"
	"fmt"
	"slices"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// Grant kinds this connector produces; policy rules match on them.
const (
	KindUserGroup = "usergroup"
	KindAccount   = "account"
)

// Grants lists the user groups acct.ID (a Slack user ID) belongs to and,
// with SCIM on, the account itself while it is active. One usergroups.list
// call with include_users gives every membership at once. An unknown user
// has no grants.
func (c *Connector) Grants(ctx context.Context, acct connectors.Account) ([]connectors.Grant, error) {
	if acct.System != connectors.Slack {
		return nil, &connectors.Error{System: connectors.Slack, Op: "list grants", Kind: connectors.KindConfig,
			Err: fmt.Errorf("account of system %q", acct.System)}
	}
	team, err := c.teamID(ctx)
	if err != nil {
		return nil, err
	}
	user, err := c.userInfo(ctx, acct.ID)
	if connectors.KindOf(err) == connectors.KindNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	owner := c.account(team, acct.ID, acct.LinkedBy)
	var grants []connectors.Grant
	if c.cfg.UserGroups {
		groups, err := c.userGroups(ctx)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			if slices.Contains(g.Users, acct.ID) {
				grants = append(grants, groupGrant(owner, g))
			}
		}
	}
	if c.cfg.SCIM && !user.Deleted {
		grants = append(grants, accountGrant(owner, user))
	}
	return grants, nil
}

func groupGrant(owner connectors.Account, g slackapi.UserGroup) connectors.Grant {
	var ctx []string
	if g.Name != "" && g.Name != g.Handle {
		ctx = append(ctx, g.Name)
	}
	n := len(g.Users)
	if n == 1 {
		ctx = append(ctx, "last member: Slack cannot empty a group")
	} else {
		ctx = append(ctx, fmt.Sprintf("%d members", n))
	}
	return connectors.Grant{Account: owner, Kind: KindUserGroup, Ref: g.ID, Title: "user group @" + g.Handle, Context: ctx}
}

func accountGrant(owner connectors.Account, u *slackapi.User) connectors.Grant {
	var ctx []string
	switch {
	case u.IsPrimaryOwner:
		ctx = append(ctx, "primary owner")
	case u.IsOwner:
		ctx = append(ctx, "owner")
	case u.IsAdmin:
		ctx = append(ctx, "admin")
	}
	if u.Profile.Email != "" {
		ctx = append(ctx, u.Profile.Email)
	}
	return connectors.Grant{Account: owner, Kind: KindAccount, Ref: u.ID, Title: "Slack account (SCIM deactivate)", Context: ctx}
}

func (c *Connector) userInfo(ctx context.Context, id string) (*slackapi.User, error) {
	var u *slackapi.User
	err := c.call(ctx, "users.info", c.lim.tier4, func(ctx context.Context) error {
		var err error
		u, err = c.api.GetUserInfoContext(ctx, id, slackapi.GetUserInfoOptionIncludeLocale(false))
		return err
	})
	return u, classify("read user", err)
}

func (c *Connector) userGroups(ctx context.Context) ([]slackapi.UserGroup, error) {
	var groups []slackapi.UserGroup
	err := c.call(ctx, "usergroups.list", c.lim.tier2, func(ctx context.Context) error {
		var err error
		groups, err = c.api.GetUserGroupsContext(ctx, slackapi.GetUserGroupsOptionIncludeUsers(true))
		return err
	})
	return groups, classify("list user groups", err)
}
