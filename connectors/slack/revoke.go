package slack

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/offboard/offboard/connectors"
)

// Revoke removes one grant. Access already gone is AlreadyGone.
func (c *Connector) Revoke(ctx context.Context, g connectors.Grant) (connectors.Outcome, error) {
	if g.Protected != "" || g.Manual != "" {
		// flows never executes these; refusing here keeps it that way.
		return 0, &connectors.Error{System: connectors.Slack, Op: "revoke", Kind: connectors.KindDecision,
			Err: fmt.Errorf("%s is not revoked by offboard: %s", g.Title, g.Protected+g.Manual)}
	}
	switch g.Kind {
	case KindUserGroup:
		return c.leaveGroup(ctx, g.Ref, g.Account.ID)
	case KindUserGroupDisable:
		return c.disableGroup(ctx, g.Ref, g.Account.ID)
	case KindSessions:
		return c.resetSessions(ctx, g.Ref)
	case KindAccount:
		return c.deactivate(ctx, g.Ref)
	}
	return 0, &connectors.Error{System: connectors.Slack, Op: "revoke", Kind: connectors.KindConfig,
		Err: fmt.Errorf("unknown grant kind %q", g.Kind)}
}

// leaveGroup removes a user from a group. Slack only replaces a group's
// whole member list, so it reads the list fresh and writes it back without
// the user. Two removals from one group at once would each write back the
// other's user, so this process serialises them per group; a change made
// elsewhere in between can still be lost, which Slack's API gives no way to
// prevent. The last member cannot be removed: that is ErrLastMember, a
// decision for an approver (the group's disable row does it). Where only
// admins may edit user groups Slack answers permission_denied: that is
// ErrAdminOnlyGroups, and the next discovery shows a by-hand task.
func (c *Connector) leaveGroup(ctx context.Context, group, user string) (connectors.Outcome, error) {
	const op = "remove from user group"
	unlock, err := c.groups.lock(ctx, group)
	if err != nil {
		return 0, classify(op, err)
	}
	defer unlock()
	var members []string
	err = c.call(ctx, "usergroups.users.list", c.lim.tier2, func(ctx context.Context) error {
		var err error
		members, err = c.api.GetUserGroupMembersContext(ctx, group)
		return err
	})
	if slackCode(err) == "no_such_subteam" {
		return connectors.AlreadyGone, nil
	}
	if err != nil {
		return 0, classify(op, err)
	}
	if !slices.Contains(members, user) {
		return connectors.AlreadyGone, nil
	}
	rest := slices.DeleteFunc(slices.Clone(members), func(m string) bool { return m == user })
	if len(rest) == 0 {
		return 0, lastMember(op, group)
	}
	err = c.call(ctx, "usergroups.users.update", c.lim.tier2, func(ctx context.Context) error {
		_, err := c.api.UpdateUserGroupMembersContext(ctx, group, strings.Join(rest, ","))
		return err
	})
	switch slackCode(err) {
	case "":
		c.groupsMode.Store(groupsAnyone)
	case "no_users_provided":
		return 0, lastMember(op, group)
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

func lastMember(op, group string) error {
	return &connectors.Error{System: connectors.Slack, Op: op, Kind: connectors.KindDecision,
		Err: fmt.Errorf("group %s: %w", group, ErrLastMember)}
}

// adminOnly records that only admins may edit user groups and says so.
func (c *Connector) adminOnly(op, group string) error {
	c.groupsMode.Store(groupsAdminOnly)
	return &connectors.Error{System: connectors.Slack, Op: op, Kind: connectors.KindPermission,
		Err: fmt.Errorf("group %s: %w", group, ErrAdminOnlyGroups)}
}

// keyedLock serialises work per key (a user group) without holding up other keys.
type keyedLock struct {
	mu    sync.Mutex
	slots map[string]chan struct{}
}

// lock takes the key's slot, waiting while another holder has it.
func (k *keyedLock) lock(ctx context.Context, key string) (func(), error) {
	k.mu.Lock()
	if k.slots == nil {
		k.slots = map[string]chan struct{}{}
	}
	slot, ok := k.slots[key]
	if !ok {
		slot = make(chan struct{}, 1)
		k.slots[key] = slot
	}
	k.mu.Unlock()
	select {
	case slot <- struct{}{}:
		return func() { <-slot }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
