package idc

import (
	"context"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// deleteAssignment deletes a direct assignment and follows the deletion to
// SUCCEEDED or FAILED. It looks first, so that an assignment already gone
// (an earlier attempt that succeeded after its deadline) is AlreadyGone.
func (c *Connector) deleteAssignment(ctx context.Context, userID, account, permSet string) (connectors.Outcome, error) {
	as, err := c.assignments(ctx, userID, ssotypes.PrincipalTypeUser, account)
	if awsapi.IsNotFound(err) {
		return connectors.AlreadyGone, nil
	}
	if err != nil {
		return 0, err
	}
	found := false
	for _, a := range as {
		found = found || awssdk.ToString(a.PermissionSetArn) == permSet
	}
	if !found {
		return connectors.AlreadyGone, nil
	}
	out, err := c.admin.DeleteAccountAssignment(ctx, &ssoadmin.DeleteAccountAssignmentInput{InstanceArn: &c.instanceARN,
		TargetId: &account, TargetType: ssotypes.TargetTypeAwsAccount, PermissionSetArn: &permSet,
		PrincipalType: ssotypes.PrincipalTypeUser, PrincipalId: &userID})
	if awsapi.IsNotFound(err) {
		return connectors.AlreadyGone, nil
	}
	if err != nil {
		return 0, wrap("delete account assignment", err)
	}
	reqID := out.AccountAssignmentDeletionStatus.RequestId
	err = c.follow(ctx, "delete account assignment", func(ctx context.Context) (ssotypes.StatusValues, string, error) {
		st, err := c.admin.DescribeAccountAssignmentDeletionStatus(ctx, &ssoadmin.DescribeAccountAssignmentDeletionStatusInput{
			InstanceArn: &c.instanceARN, AccountAssignmentDeletionRequestId: reqID})
		if err != nil {
			return "", "", err
		}
		return st.AccountAssignmentDeletionStatus.Status, awssdk.ToString(st.AccountAssignmentDeletionStatus.FailureReason), nil
	})
	if err != nil {
		return 0, err
	}
	return connectors.Revoked, nil
}
