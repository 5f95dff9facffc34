package aws

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/connectors"
)

func (c *Connector) listGroups(ctx context.Context, user string) ([]types.Group, error) {
	p := iam.NewListGroupsForUserPaginator(c.iam, &iam.ListGroupsForUserInput{UserName: &user})
	return collectPages(ctx, "list groups for user", p, func(o *iam.ListGroupsForUserOutput) ([]types.Group, *string) {
		return o.Groups, o.Marker
	})
}

func (c *Connector) listAttachedPolicies(ctx context.Context, user string) ([]types.AttachedPolicy, error) {
	p := iam.NewListAttachedUserPoliciesPaginator(c.iam, &iam.ListAttachedUserPoliciesInput{UserName: &user})
	return collectPages(ctx, "list attached user policies", p, func(o *iam.ListAttachedUserPoliciesOutput) ([]types.AttachedPolicy, *string) {
		return o.AttachedPolicies, o.Marker
	})
}

func (c *Connector) listInlinePolicies(ctx context.Context, user string) ([]string, error) {
	p := iam.NewListUserPoliciesPaginator(c.iam, &iam.ListUserPoliciesInput{UserName: &user})
	return collectPages(ctx, "list user policies", p, func(o *iam.ListUserPoliciesOutput) ([]string, *string) {
		return o.PolicyNames, o.Marker
	})
}

// denyPolicyName names the inline policy disable mode puts on a user. An
// inline policy, unlike AWSDenyAll attached, does not use up one of the
// user's ten managed-policy slots.
const denyPolicyName = "offboard-deny-all"

// denyPolicy denies every action on every resource: an explicit deny wins
// over any allow from the user's groups, policies or resource policies.
const denyPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"OffboardDenyAll","Effect":"Deny","Action":"*","Resource":"*"}]}`

// denied says whether the user already carries the deny: offboard's
// inline policy, or AWSDenyAll attached (by an earlier version or by hand).
func (c *Connector) denied(inline []string, attached []types.AttachedPolicy) bool {
	if slices.Contains(inline, denyPolicyName) {
		return true
	}
	for _, p := range attached {
		if awssdk.ToString(p.PolicyArn) == c.denyAllARN() {
			return true
		}
	}
	return false
}

// policiesGrant, in disable mode, neutralises every permission the user has
// (groups, managed and inline policies, and resource policies naming the
// user) with one explicit deny. It is absent once the deny is there.
func (c *Connector) policiesGrant(acct connectors.Account, inv *inventory) []connectors.Grant {
	if c.mode != ModeDisable || c.denied(inv.inline, inv.attached) {
		return nil
	}
	g := c.newGrant(acct, KindPolicies, "", "add inline deny-all policy")
	g.Context, g.Items = permissionSummary(inv)
	g.LastActive = lastActivity(inv)
	return []connectors.Grant{g}
}

func (c *Connector) revokePolicies(ctx context.Context, user string) (connectors.Outcome, error) {
	inline, err := c.listInlinePolicies(ctx, user)
	if isNoSuchEntity(err) {
		return connectors.AlreadyGone, nil
	}
	if err != nil {
		return 0, err
	}
	attached, err := c.listAttachedPolicies(ctx, user)
	if isNoSuchEntity(err) {
		return connectors.AlreadyGone, nil
	}
	if err != nil {
		return 0, err
	}
	if c.denied(inline, attached) {
		return connectors.AlreadyGone, nil
	}
	_, err = c.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: &user,
		PolicyName: awssdk.String(denyPolicyName), PolicyDocument: awssdk.String(denyPolicy)})
	if apiCode(err) == "LimitExceeded" {
		err = errors.Join(fmt.Errorf("user %s's inline policies are at IAM's size quota; delete one by hand, then retry", user), err)
	}
	return outcome("put inline deny-all policy", err)
}

// permissionSummary describes the user's groups and policies: short facts
// for the checklist row and the full list as items.
func permissionSummary(inv *inventory) (context, items []string) {
	var groups, managed []string
	for _, g := range inv.groups {
		groups = append(groups, awssdk.ToString(g.GroupName))
		items = append(items, "group "+awssdk.ToString(g.GroupName))
	}
	for _, p := range inv.attached {
		managed = append(managed, awssdk.ToString(p.PolicyName))
		items = append(items, "policy "+awssdk.ToString(p.PolicyArn))
	}
	for _, n := range inv.inline {
		items = append(items, "inline policy "+n)
	}
	for _, part := range []struct {
		label string
		names []string
	}{{"groups", groups}, {"policies", managed}, {"inline", inv.inline}} {
		if len(part.names) > 0 {
			context = append(context, part.label+": "+abbreviate(part.names, 3))
		}
	}
	if len(context) == 0 {
		context = []string{"no groups or policies"}
	}
	return context, items
}

// abbreviate joins at most n names and counts the rest.
func abbreviate(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s +%d more", strings.Join(names[:n], ", "), len(names)-n)
}

// lastActivity is the user's latest console or access-key use.
func lastActivity(inv *inventory) (last *time.Time) {
	if inv.user != nil {
		last = inv.user.PasswordLastUsed
	}
	for _, k := range inv.keys {
		if k.lastUsed != nil {
			last = latest(last, k.lastUsed.LastUsedDate)
		}
	}
	return last
}
