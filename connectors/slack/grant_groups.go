package slack

import (
	"context"
	"fmt"
	"slices"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// What the connector has learned of who may edit user groups: Slack has no
// read API for the setting, so a write tells (doctor's probe, a removal).
const (
	groupsUnknown int32 = iota
	groupsAnyone
	groupsAdminOnly
)

// groupGrants gives one row per group the user is in: a removal, or a
// disable where they are its last member. Where only admins may edit user
// groups, it gives one by-hand task naming every group instead.
func (c *Connector) groupGrants(ctx context.Context, owner connectors.Account, user *slackapi.User) ([]connectors.Grant, error) {
	groups, err := c.userGroups(ctx, false)
	if err != nil {
		return nil, err
	}
	var mine []slackapi.UserGroup
	for _, g := range groups {
		if slices.Contains(g.Users, user.ID) {
			mine = append(mine, g)
		}
	}
	if len(mine) == 0 {
		return nil, nil
	}
	if c.groupsMode.Load() == groupsAdminOnly {
		return []connectors.Grant{manualGroupsGrant(owner, user, mine)}, nil
	}
	out := make([]connectors.Grant, 0, len(mine))
	for _, g := range mine {
		if len(g.Users) == 1 {
			out = append(out, disableGrant(owner, g))
		} else {
			out = append(out, groupGrant(owner, g))
		}
	}
	return out, nil
}

func groupGrant(owner connectors.Account, g slackapi.UserGroup) connectors.Grant {
	var ctx []string
	if g.Name != "" && g.Name != g.Handle {
		ctx = append(ctx, g.Name)
	}
	ctx = append(ctx, fmt.Sprintf("%d members", len(g.Users)))
	return connectors.Grant{Account: owner, Kind: KindUserGroup, Ref: g.ID, Title: "user group @" + g.Handle, Context: ctx}
}

func disableGrant(owner connectors.Account, g slackapi.UserGroup) connectors.Grant {
	var ctx []string
	if g.Name != "" && g.Name != g.Handle {
		ctx = append(ctx, g.Name)
	}
	ctx = append(ctx, "last member: Slack cannot empty a group")
	return connectors.Grant{Account: owner, Kind: KindUserGroupDisable, Ref: g.ID, Title: "disable user group @" + g.Handle,
		Context: ctx,
		Warning: "disables @" + g.Handle + " for everyone: its mention stops working until an admin enables it again"}
}

// manualGroupsGrant is the task an admin does by hand, naming each group
// and what to do with it.
func manualGroupsGrant(owner connectors.Account, user *slackapi.User, groups []slackapi.UserGroup) connectors.Grant {
	var ids, items []string
	for _, g := range groups {
		ids = append(ids, g.ID)
		if len(g.Users) == 1 {
			items = append(items, "disable @"+g.Handle+" (last member)")
		} else {
			items = append(items, "remove from @"+g.Handle)
		}
	}
	who := user.Name
	if who == "" {
		who = user.ID
	}
	return connectors.Grant{Account: owner, Kind: KindUserGroupManual, Ref: strings.Join(ids, ","),
		Title: fmt.Sprintf("%d user groups, by hand", len(groups)), Items: items,
		Manual: "Only workspace admins may edit user groups here, so offboard's bot cannot. An admin: " +
			strings.Join(items, "; ") + " for " + who + ". (Or let everyone manage user groups under " +
			"Workspace settings › Permissions › User Groups, and discover again.)"}
}

func (c *Connector) userGroups(ctx context.Context, withDisabled bool) ([]slackapi.UserGroup, error) {
	var groups []slackapi.UserGroup
	err := c.call(ctx, "usergroups.list", c.lim.tier2, func(ctx context.Context) error {
		var err error
		groups, err = c.api.GetUserGroupsContext(ctx, slackapi.GetUserGroupsOptionIncludeUsers(true),
			slackapi.GetUserGroupsOptionIncludeDisabled(withDisabled))
		return err
	})
	return groups, classify("list user groups", err)
}
