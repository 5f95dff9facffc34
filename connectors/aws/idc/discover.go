package idc

import (
	"context"
	"sync"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	istypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"golang.org/x/sync/errgroup"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// access is everything a user holds in Identity Center.
type access struct {
	user     *identitystore.DescribeUserOutput
	direct   []ssotypes.AccountAssignmentForPrincipal
	groups   []groupAccess
	names    map[string]string // permission set ARN → name
	accounts map[string]string // account ID → name
}

type groupAccess struct {
	membershipID, groupID, name string
	assignments                 []ssotypes.AccountAssignmentForPrincipal
}

// discover reads the user, their memberships and every assignment, direct
// and through each group, in parallel: 3 + 2 per group + 1 per distinct
// permission set calls (fewer with names cached), plus one per further
// page of a listing.
func (c *Connector) discover(ctx context.Context, userID string) (*access, error) {
	a := &access{names: map[string]string{}}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		a.accounts = c.accountNames(gctx)
		return nil
	})
	g.Go(func() (err error) {
		a.user, err = c.store.DescribeUser(gctx, &identitystore.DescribeUserInput{IdentityStoreId: &c.storeID, UserId: &userID})
		return wrap("describe user", err)
	})
	g.Go(func() (err error) {
		a.direct, err = c.assignments(gctx, userID, ssotypes.PrincipalTypeUser, "")
		return err
	})
	var mu sync.Mutex
	g.Go(func() error {
		ms, err := c.memberships(gctx, userID)
		if err != nil {
			return err
		}
		a.groups = make([]groupAccess, len(ms))
		for i, m := range ms {
			ga := &a.groups[i]
			ga.membershipID, ga.groupID = awssdk.ToString(m.MembershipId), awssdk.ToString(m.GroupId)
			g.Go(func() error {
				out, err := c.store.DescribeGroup(gctx, &identitystore.DescribeGroupInput{IdentityStoreId: &c.storeID, GroupId: &ga.groupID})
				if err != nil {
					return wrap("describe group", err)
				}
				mu.Lock()
				ga.name = awssdk.ToString(out.DisplayName)
				mu.Unlock()
				return nil
			})
			g.Go(func() error {
				as, err := c.assignments(gctx, ga.groupID, ssotypes.PrincipalTypeGroup, "")
				mu.Lock()
				ga.assignments = as
				mu.Unlock()
				return err
			})
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := c.nameSets(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

func (c *Connector) memberships(ctx context.Context, userID string) ([]istypes.GroupMembership, error) {
	var out []istypes.GroupMembership
	err := awsapi.Pages(ctx, connectors.IdentityCenter, "list group memberships for member", 0,
		func(ctx context.Context, token *string) (*string, error) {
			page, err := c.store.ListGroupMembershipsForMember(ctx, &identitystore.ListGroupMembershipsForMemberInput{
				IdentityStoreId: &c.storeID, MemberId: &istypes.MemberIdMemberUserId{Value: userID},
				MaxResults: awssdk.Int32(100), NextToken: token})
			if err != nil {
				return nil, err
			}
			out = append(out, page.GroupMemberships...)
			return page.NextToken, nil
		})
	return out, err
}

// assignments lists a principal's account assignments, in one account
// when account is set.
func (c *Connector) assignments(ctx context.Context, principal string, kind ssotypes.PrincipalType, account string) ([]ssotypes.AccountAssignmentForPrincipal, error) {
	var out []ssotypes.AccountAssignmentForPrincipal
	in := &ssoadmin.ListAccountAssignmentsForPrincipalInput{InstanceArn: &c.instanceARN, PrincipalId: &principal,
		PrincipalType: kind, MaxResults: awssdk.Int32(100)}
	if account != "" {
		in.Filter = &ssotypes.ListAccountAssignmentsFilter{AccountId: &account}
	}
	err := awsapi.Pages(ctx, connectors.IdentityCenter, "list account assignments for principal", 0,
		func(ctx context.Context, token *string) (*string, error) {
			in.NextToken = token
			page, err := c.admin.ListAccountAssignmentsForPrincipal(ctx, in)
			if err != nil {
				return nil, err
			}
			out = append(out, page.AccountAssignments...)
			return page.NextToken, nil
		})
	return out, err
}

// nameSets reads the name of every permission set a.* refers to, once per
// set, reusing names read within Options.NameCacheTTL.
func (c *Connector) nameSets(ctx context.Context, a *access) error {
	want := map[string]bool{}
	for _, as := range a.direct {
		want[awssdk.ToString(as.PermissionSetArn)] = true
	}
	for _, ga := range a.groups {
		for _, as := range ga.assignments {
			want[awssdk.ToString(as.PermissionSetArn)] = true
		}
	}
	now := c.opts.Clock()
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	for arn := range want {
		c.mu.Lock()
		cached, ok := c.permSets[arn]
		c.mu.Unlock()
		if ok && now.Sub(cached.read) < c.opts.NameCacheTTL {
			a.names[arn] = cached.name
			continue
		}
		g.Go(func() error {
			out, err := c.admin.DescribePermissionSet(gctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &c.instanceARN, PermissionSetArn: &arn})
			if err != nil {
				return wrap("describe permission set", err)
			}
			name := awssdk.ToString(out.PermissionSet.Name)
			mu.Lock()
			a.names[arn] = name
			mu.Unlock()
			c.mu.Lock()
			c.permSets[arn] = permSetName{name: name, read: now}
			c.mu.Unlock()
			return nil
		})
	}
	return g.Wait()
}
