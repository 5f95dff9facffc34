package idc

import (
	"context"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// Check verifies, for offboard doctor, with harmless reads, that SSO
// Admin shows the instance and the identity store answers.
func (c *Connector) Check(ctx context.Context) []connectors.Check {
	ctx, cancel := awsapi.WithDeadline(ctx, c.opts.Timeout)
	defer cancel()
	var checks []connectors.Check
	out, err := c.admin.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	ch := connectors.Check{Name: "idc: instance", OK: err == nil, Detail: c.instanceARN + " in " + c.region}
	if err != nil {
		ch.Detail = wrap("list instances", err).Error()
	} else {
		found := false
		for _, in := range out.Instances {
			found = found || awssdk.ToString(in.InstanceArn) == c.instanceARN
		}
		if !found {
			ch.OK, ch.Detail = false, c.instanceARN+" is not visible to these credentials in "+c.region
		}
	}
	checks = append(checks, ch)
	_, err = c.store.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &c.storeID, MaxResults: awssdk.Int32(1)})
	ch = connectors.Check{Name: "idc: read identity store", OK: err == nil, Detail: "ListUsers works in " + c.storeID}
	if err != nil {
		ch.Detail = wrap("list users", err).Error()
	}
	return append(checks, ch)
}
