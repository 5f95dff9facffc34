package idc

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	istypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// The kinds of grant this connector finds; policy rules match on them.
const (
	// KindGroupMembership is one group the user is in, with the accounts
	// and permission sets the group grants.
	KindGroupMembership = "idc_group_membership"
	// KindAssignment is one permission set assigned to the user directly
	// in one account.
	KindAssignment = "idc_assignment"
	// KindSessions denies the sessions the user already holds in every
	// permission set they could use.
	KindSessions = "idc_sessions"
	// KindUser is the user itself: a manual row, as the API cannot
	// disable a user.
	KindUser = "idc_user"
	// KindIdPDeprovision is the manual row for an external identity
	// provider, whose sync overwrites changes made here.
	KindIdPDeprovision = "idc_idp_deprovision"
)

// Grants lists what the Identity Center user acct.ID (a user name, or an
// email) can reach now. A user that does not exist has no grants.
func (c *Connector) Grants(ctx context.Context, acct connectors.Account) ([]connectors.Grant, error) {
	if !c.owns(acct) {
		return nil, nil
	}
	ctx, cancel := awsapi.WithDeadline(ctx, c.opts.Timeout)
	defer cancel()
	id, err := c.resolve(ctx, acct.ID)
	if err != nil || id == "" {
		return nil, err
	}
	a, err := c.discover(ctx, id)
	if awsapi.IsNotFound(err) {
		return nil, nil // deleted between the two calls
	}
	if err != nil {
		return nil, err
	}
	gs := c.rows(acct, id, a)
	c.log.Debug().Str("user", acct.ID).Int("grants", len(gs)).Msg("listed grants")
	return gs, nil
}

func (c *Connector) owns(acct connectors.Account) bool {
	return acct.System == connectors.IdentityCenter && acct.ID != "" && (acct.Scope == "" || acct.Scope == c.storeID)
}

// rows turns what discover found into one grant per group, per direct
// assignment, one for the sessions and one for the user.
func (c *Connector) rows(acct connectors.Account, userID string, a *access) []connectors.Grant {
	acct.System, acct.Scope = connectors.IdentityCenter, c.storeID
	name := awssdk.ToString(a.user.UserName)
	external := c.externalIdP || len(a.user.ExternalIds) > 0
	restored := ""
	if external {
		restored = "the identity provider's next sync may add this back: deprovision in the IdP too"
	}
	var gs []connectors.Grant
	sets := map[string]bool{}
	for _, ga := range a.groups {
		g := connectors.Grant{Account: acct, Kind: KindGroupMembership, Ref: ga.membershipID,
			Title: "group " + ga.name, Warning: restored}
		g.Context, g.Items = describe(ga.assignments, a.names, a.accounts, sets)
		gs = append(gs, g)
	}
	for _, as := range a.direct {
		arn, account := awssdk.ToString(as.PermissionSetArn), awssdk.ToString(as.AccountId)
		sets[arn] = true
		gs = append(gs, connectors.Grant{Account: acct, Kind: KindAssignment,
			Ref:     strings.Join([]string{userID, account, arn}, "|"),
			Title:   a.names[arn] + " in " + accountLabel(a.accounts, account),
			Context: []string{"direct assignment"}})
	}
	if len(sets) > 0 {
		arns := slices.Sorted(maps.Keys(sets))
		var names []string
		for _, arn := range arns {
			names = append(names, a.names[arn])
		}
		gs = append(gs, connectors.Grant{Account: acct, Kind: KindSessions,
			Ref:     userID + "|" + strings.Join(arns, ","),
			Title:   "end active sessions",
			Context: []string{fmt.Sprintf("%d permission sets", len(arns))},
			Items:   names,
			Warning: fmt.Sprintf("adds a deny for this user's ID to the inline policy of %d permission sets, which others use too, and re-provisions them in every account", len(arns))})
	}
	switch {
	case external:
		gs = append(gs, connectors.Grant{Account: acct, Kind: KindIdPDeprovision, Ref: userID,
			Title:  "deprovision " + name + " in the identity provider",
			Manual: "deprovision " + name + " in the external identity provider (Okta, Entra ID, Google …): its sync overwrites users and group memberships changed here"})
	case a.user.UserStatus != istypes.UserStatusDisabled:
		gs = append(gs, connectors.Grant{Account: acct, Kind: KindUser, Ref: userID,
			Title:  "Identity Center user " + name,
			Manual: "disable " + name + " in the IAM Identity Center console (Users → " + name + " → Disable user access): the API cannot disable a user"})
	}
	if c.selfUser != "" && strings.EqualFold(c.selfUser, name) {
		for i := range gs {
			gs[i].Protected = "the bot runs with this user's Identity Center session"
		}
	}
	return gs
}

// describe summarises a group's assignments: short facts and the full list.
func describe(as []ssotypes.AccountAssignmentForPrincipal, names, accountNames map[string]string, sets map[string]bool) (context, items []string) {
	accounts := map[string]bool{}
	setNames := map[string]bool{}
	for _, x := range as {
		arn, account := awssdk.ToString(x.PermissionSetArn), awssdk.ToString(x.AccountId)
		sets[arn] = true
		accounts[account] = true
		setNames[names[arn]] = true
		items = append(items, names[arn]+" in "+accountLabel(accountNames, account))
	}
	slices.Sort(items)
	if len(as) == 0 {
		return []string{"no account assignments"}, nil
	}
	ns := slices.Sorted(maps.Keys(setNames))
	return []string{fmt.Sprintf("%d accounts", len(accounts)), strings.Join(ns, ", ")}, items
}
