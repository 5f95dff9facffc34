package idc

import (
	"context"
	"sync/atomic"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"golang.org/x/sync/errgroup"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// endSessions ends the sessions the user already holds: a permission
// set's sessions outlive the removal of the assignment that opened them.
// It adds the documented deny (every action, when identitystore:userId is
// the user's ID) to each permission set's inline policy, then provisions
// the set again so that the roles in every account carry it, following
// each provisioning to SUCCEEDED. Sets that already deny the user are left
// alone; when all do, the sessions are already ended.
func (c *Connector) endSessions(ctx context.Context, userID string, sets []string) (connectors.Outcome, error) {
	var changed atomic.Bool
	g, gctx := errgroup.WithContext(ctx)
	for _, arn := range sets {
		g.Go(func() error {
			did, err := c.denyIn(gctx, userID, arn)
			if did {
				changed.Store(true)
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	if !changed.Load() {
		return connectors.AlreadyGone, nil
	}
	return connectors.Revoked, nil
}

// denyIn adds the user to the deny of one permission set and provisions
// it; it reports whether it changed the policy.
func (c *Connector) denyIn(ctx context.Context, userID, permSet string) (bool, error) {
	cur, err := c.admin.GetInlinePolicyForPermissionSet(ctx, &ssoadmin.GetInlinePolicyForPermissionSetInput{
		InstanceArn: &c.instanceARN, PermissionSetArn: &permSet})
	if awsapi.IsNotFound(err) {
		return false, nil // the set is gone, and its sessions with it
	}
	if err != nil {
		return false, wrap("get inline policy for permission set", err)
	}
	policy, changed, err := withDeny(awssdk.ToString(cur.InlinePolicy), userID)
	if err != nil {
		return false, &connectors.Error{System: connectors.IdentityCenter, Op: "read inline policy of " + permSet,
			Kind: connectors.KindDecision, Err: err}
	}
	if !changed {
		return false, nil
	}
	_, err = c.admin.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{
		InstanceArn: &c.instanceARN, PermissionSetArn: &permSet, InlinePolicy: &policy})
	if err != nil {
		return false, wrap("put inline policy to permission set", err)
	}
	out, err := c.admin.ProvisionPermissionSet(ctx, &ssoadmin.ProvisionPermissionSetInput{
		InstanceArn: &c.instanceARN, PermissionSetArn: &permSet, TargetType: ssotypes.ProvisionTargetTypeAllProvisionedAccounts})
	if err != nil {
		return true, wrap("provision permission set", err)
	}
	reqID := out.PermissionSetProvisioningStatus.RequestId
	return true, c.follow(ctx, "provision permission set", func(ctx context.Context) (ssotypes.StatusValues, string, error) {
		st, err := c.admin.DescribePermissionSetProvisioningStatus(ctx, &ssoadmin.DescribePermissionSetProvisioningStatusInput{
			InstanceArn: &c.instanceARN, ProvisionPermissionSetRequestId: reqID})
		if err != nil {
			return "", "", err
		}
		return st.PermissionSetProvisioningStatus.Status, awssdk.ToString(st.PermissionSetProvisioningStatus.FailureReason), nil
	})
}
