package slack

import (
	"context"
	"slices"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// disableGroup disables a group whose last member the user is, the only
// way Slack offers to take that membership away. It reads the group fresh
// first: a group already disabled or deleted, or one the user has left, is
// AlreadyGone; one that others have joined since is ErrNotLastMember, a
// decision, because disabling it would cut them off too.
func (c *Connector) disableGroup(ctx context.Context, group, user string) (connectors.Outcome, error) {
	const op = "disable user group"
	unlock, err := c.groups.lock(ctx, group)
	if err != nil {
		return 0, classify(op, err)
	}
	defer unlock()
	groups, err := c.userGroups(ctx, true)
	if err != nil {
		return 0, err
	}
	i := slices.IndexFunc(groups, func(g slackapi.UserGroup) bool { return g.ID == group })
	switch {
	case i < 0, groups[i].DateDelete != 0, !slices.Contains(groups[i].Users, user):
		return connectors.AlreadyGone, nil
	case len(groups[i].Users) > 1:
		return 0, &connectors.Error{System: connectors.Slack, Op: op, Kind: connectors.KindDecision, Err: ErrNotLastMember}
	}
	err = c.call(ctx, "usergroups.disable", c.lim.tier2, func(ctx context.Context) error {
		_, err := c.api.DisableUserGroupContext(ctx, group)
		return err
	})
	switch slackCode(err) {
	case "no_such_subteam":
		return connectors.AlreadyGone, nil
	case "permission_denied":
		return 0, c.adminOnly(op, group)
	}
	if err != nil {
		return 0, classify(op, err)
	}
	return connectors.Revoked, nil
}
