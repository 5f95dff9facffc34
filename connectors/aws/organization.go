package aws

import (
	"context"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// orgAccounts returns the configured accounts followed by every active
// account of the organisation that is not among them, each entered through
// the organisation's role, except the credentials' own account (self),
// which is used directly: the role usually exists only in member accounts.
// Suspended accounts and those being closed cannot be entered and are left out.
func orgAccounts(ctx context.Context, org *organizations.Client, cfg Config, self string) ([]AccountConfig, error) {
	out := append([]AccountConfig(nil), cfg.Accounts...)
	listed := map[string]bool{}
	for _, a := range cfg.Accounts {
		if a.RoleARN == "" {
			listed[self] = true
		} else {
			id, _ := roleAccount(a.RoleARN)
			listed[id] = true
		}
	}
	partition := "aws"
	err := awsapi.Pages(ctx, connectors.AWS, "list organization accounts", 0, func(ctx context.Context, token *string) (*string, error) {
		page, err := org.ListAccounts(ctx, &organizations.ListAccountsInput{NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, a := range page.Accounts {
			id := awssdk.ToString(a.Id)
			if listed[id] || a.Status != orgtypes.AccountStatusActive {
				continue
			}
			listed[id] = true
			ac := AccountConfig{Name: awssdk.ToString(a.Name)}
			if id != self {
				ac.RoleARN = "arn:" + partitionOf(awssdk.ToString(a.Arn), partition) + ":iam::" + id + ":role/" + cfg.Organization.RoleName
				ac.ExternalID = cfg.Organization.ExternalID
			}
			out = append(out, ac)
		}
		return page.NextToken, nil
	})
	return out, err
}

// partitionOf reads the partition of an ARN, def when it has none.
func partitionOf(arn, def string) string {
	if p, _ := roleAccountPartition(arn); p != "" {
		return p
	}
	return def
}
