package slack

import (
	"context"
	"fmt"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// Grant kinds this connector produces; policy rules match on them.
const (
	KindUserGroup = "usergroup"
	// KindUserGroupDisable disables a group whose last member the person
	// is: Slack cannot empty a group, so disabling is the only way out.
	KindUserGroupDisable = "usergroup_disable"
	// KindUserGroupManual is the by-hand task that replaces the group rows
	// where only admins may edit user groups.
	KindUserGroupManual = "usergroup_manual"
	KindSessions        = "sessions"
	KindAccount         = "account"
)

// Grants lists what acct.ID (a Slack user ID) holds: its user groups (or
// the groups to disable, or one by-hand task), with an admin token on
// Enterprise Grid its sessions, and with SCIM on the account while it is
// active. One usergroups.list call with include_users gives every
// membership at once. An unknown user has no grants. Every grant of the
// bot's own user is Protected.
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
		gs, err := c.groupGrants(ctx, owner, user)
		if err != nil {
			return nil, err
		}
		grants = append(grants, gs...)
	}
	if c.cfg.Sessions && !user.Deleted && !user.IsBot {
		g, err := c.sessionsGrant(ctx, owner, user)
		if err != nil {
			return nil, err
		}
		if g != nil {
			grants = append(grants, *g)
		}
	}
	if c.cfg.SCIM && !user.Deleted {
		grants = append(grants, c.accountGrant(ctx, owner, user))
	}
	bot, err := c.botUserID(ctx)
	if err != nil {
		return nil, err
	}
	if acct.ID == bot {
		for i := range grants {
			grants[i].Protected = "offboard's own Slack bot user"
			grants[i].Manual = ""
		}
	}
	return grants, nil
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
