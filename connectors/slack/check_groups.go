package slack

import (
	"context"
	"slices"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// checkGroupEditing finds out whether the bot may edit user groups. Slack
// has no read API for the setting, so it re-saves the unchanged member
// list of the smallest enabled group: the list is read fresh under this
// process's per-group lock and written straight back, so only a change
// made elsewhere in the few milliseconds between could be undone. The
// answer also decides whether discovery offers group rows or a by-hand task.
func (c *Connector) checkGroupEditing(ctx context.Context) connectors.Check {
	const name = "slack user groups"
	groups, err := c.userGroups(ctx, false)
	if err != nil {
		return connectors.Check{Name: name, Detail: err.Error()}
	}
	groups = slices.DeleteFunc(groups, func(g slackapi.UserGroup) bool { return len(g.Users) == 0 })
	if len(groups) == 0 {
		return connectors.Check{Name: name, OK: true,
			Detail: "no user group with members to probe: cannot tell yet whether only admins may edit user groups"}
	}
	g := slices.MinFunc(groups, func(a, b slackapi.UserGroup) int { return len(a.Users) - len(b.Users) })
	unlock, err := c.groups.lock(ctx, g.ID)
	if err != nil {
		return connectors.Check{Name: name, Detail: err.Error()}
	}
	defer unlock()
	var members []string
	err = c.call(ctx, "usergroups.users.list", c.lim.tier2, func(ctx context.Context) error {
		var err error
		members, err = c.api.GetUserGroupMembersContext(ctx, g.ID)
		return err
	})
	if err == nil {
		err = c.call(ctx, "usergroups.users.update", c.lim.tier2, func(ctx context.Context) error {
			_, err := c.api.UpdateUserGroupMembersContext(ctx, g.ID, strings.Join(members, ","))
			return err
		})
	}
	switch {
	case slackCode(err) == "permission_denied":
		// Not a failure: offboard works on, with by-hand rows for groups.
		c.groupsMode.Store(groupsAdminOnly)
		return connectors.Check{Name: name, OK: true, Detail: "only workspace admins may edit user groups, so group rows " +
			"become by-hand tasks; let everyone manage user groups (Workspace settings › Permissions › User Groups) " +
			"for offboard to remove memberships"}
	case err != nil:
		return connectors.Check{Name: name, Detail: "could not probe with @" + g.Handle + ": " + classify("probe user groups", err).Error()}
	}
	c.groupsMode.Store(groupsAnyone)
	return connectors.Check{Name: name, OK: true, Detail: "the bot may edit user groups (re-saved @" + g.Handle + "'s unchanged members)"}
}
