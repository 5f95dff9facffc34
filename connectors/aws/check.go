package aws

import (
	"context"
	"fmt"
	"slices"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// readActions and the write actions per mode are every IAM action the
// connector calls; the README's policy grants exactly these.
func readActions() []string {
	return []string{"iam:GetUser", "iam:ListUsers", "iam:ListUserTags", "iam:GetLoginProfile",
		"iam:ListAccessKeys", "iam:GetAccessKeyLastUsed", "iam:ListSSHPublicKeys", "iam:ListSigningCertificates",
		"iam:ListServiceSpecificCredentials", "iam:ListMFADevices", "iam:ListGroupsForUser",
		"iam:ListAttachedUserPolicies", "iam:ListUserPolicies", "iam:GenerateCredentialReport", "iam:GetCredentialReport",
		"iam:GetUserPolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListGroupPolicies", "iam:GetGroupPolicy",
		"iam:ListAttachedGroupPolicies", "iam:ListRoles", "iam:GetRolePolicy"}
}

func writeActions(mode string) []string {
	if mode == ModeDelete {
		return []string{"iam:DeleteLoginProfile", "iam:DeleteAccessKey", "iam:DeleteSSHPublicKey",
			"iam:DeleteSigningCertificate", "iam:DeleteServiceSpecificCredential", "iam:DeactivateMFADevice",
			"iam:DeleteVirtualMFADevice", "iam:DeleteUserPolicy", "iam:DetachUserPolicy",
			"iam:RemoveUserFromGroup", "iam:DeleteUser", "iam:PutRolePolicy"}
	}
	return []string{"iam:UpdateAccessKey", "iam:DeleteLoginProfile", "iam:UpdateSSHPublicKey",
		"iam:UpdateSigningCertificate", "iam:UpdateServiceSpecificCredential", "iam:PutUserPolicy", "iam:PutRolePolicy"}
}

// Check verifies, for offboard doctor, that the credentials work, the role
// can be assumed, IAM answers a read, and the actions the mode needs are
// allowed (by SimulatePrincipalPolicy; "not verified" when that call is not
// allowed itself).
func (c *Connector) Check(ctx context.Context) []connectors.Check {
	ctx, cancel := awsapi.WithDeadline(ctx, c.opts.Timeout)
	defer cancel()
	label := "aws " + c.name + ": "
	var checks []connectors.Check
	add := func(name string, err error, detail string) bool {
		ch := connectors.Check{Name: label + name, OK: err == nil, Detail: detail}
		if err != nil {
			ch.Detail = err.Error()
		}
		checks = append(checks, ch)
		return err == nil
	}

	id, err := c.baseSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if !add("credentials", wrap("get caller identity", err), "as "+arnOf(id)) {
		return checks
	}
	if c.roleSTS != nil {
		id, err := c.roleSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err == nil && awssdk.ToString(id.Account) != c.accountID {
			err = fmt.Errorf("role is in account %s, not %s", awssdk.ToString(id.Account), c.accountID)
		}
		if !add("assume role", wrap("assume role "+c.roleARN, err), "as "+arnOf(id)) {
			return checks
		}
		var refused error
		if c.roleCreds.SourceIdentityRefused() {
			refused = fmt.Errorf("the trust policy of %s does not allow sts:SetSourceIdentity: sessions are named for the case but CloudTrail shows no source identity", c.roleARN)
		}
		add("source identity", refused, "sessions carry the case as their source identity")
	}
	if c.org != nil {
		_, err := c.org.ListAccounts(ctx, &organizations.ListAccountsInput{MaxResults: awssdk.Int32(1)})
		add("list organization accounts", wrap("list accounts", err), "ListAccounts works")
	}
	_, err = c.iam.ListUsers(ctx, &iam.ListUsersInput{MaxItems: awssdk.Int32(1)})
	if !add("read IAM users", wrap("list users", err), "ListUsers works") {
		return checks
	}
	checks = append(checks, c.checkActions(ctx, label))
	return checks
}

func arnOf(id *sts.GetCallerIdentityOutput) string {
	if id == nil {
		return ""
	}
	return awssdk.ToString(id.Arn)
}

// optionalActions make the connector faster but have a fallback.
func optionalActions() []string { return []string{"iam:GetAccountAuthorizationDetails"} }

func (c *Connector) checkActions(ctx context.Context, label string) connectors.Check {
	name := label + "permissions for mode " + c.mode
	required := append(readActions(), writeActions(c.mode)...)
	actions := append(slices.Clone(required), optionalActions()...)
	var denied, slower []string
	guard := awsapi.NewPageGuard(connectors.AWS, "simulate principal policy")
	p := iam.NewSimulatePrincipalPolicyPaginator(c.iam, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: &c.principal, ActionNames: actions})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err == nil {
			err = guard.Next(out.Marker)
		}
		if err != nil {
			// Not knowing is not a failure: many roles may not simulate.
			return connectors.Check{Name: name, OK: true, Detail: "not verified: " + wrap("simulate principal policy", err).Error()}
		}
		for _, r := range out.EvaluationResults {
			action := awssdk.ToString(r.EvalActionName)
			switch {
			case r.EvalDecision == types.PolicyEvaluationDecisionTypeAllowed:
			case slices.Contains(required, action):
				denied = append(denied, action)
			default:
				slower = append(slower, action)
			}
		}
	}
	if len(denied) > 0 {
		return connectors.Check{Name: name, Detail: "not allowed: " + strings.Join(denied, ", ")}
	}
	detail := fmt.Sprintf("%d actions allowed for %s", len(required), c.principal)
	if len(slower) > 0 {
		detail += "; without " + strings.Join(slower, ", ") + " email lookups read tags user by user"
	}
	return connectors.Check{Name: name, OK: true, Detail: detail}
}
