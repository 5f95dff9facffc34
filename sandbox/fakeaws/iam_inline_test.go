package fakeaws_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/offboard/offboard/sandbox/fakeaws"
)

const denyDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`

func TestInlinePoliciesAreStoredAndReturnedURLEncodedWithinTheUsersQuota(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	_, err := fake.AddUser(acct, fakeaws.User{Name: "dev"})
	must(t, err)
	c := iam.NewFromConfig(cfg)
	ctx := context.Background()
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: awssdk.String("dev"), PolicyName: awssdk.String("deny"), PolicyDocument: awssdk.String(denyDoc)})
	must(t, err)
	out, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: awssdk.String("dev"), PolicyName: awssdk.String("deny")})
	must(t, err)
	raw := awssdk.ToString(out.PolicyDocument)
	if strings.Contains(raw, `"`) {
		t.Errorf("document %s is not URL-encoded", raw)
	}
	if doc, _ := url.QueryUnescape(raw); doc != denyDoc {
		t.Errorf("decoded %s, want %s", doc, denyDoc)
	}
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: awssdk.String("dev"), PolicyName: awssdk.String("bad"), PolicyDocument: awssdk.String("{not json")})
	if apiCode(err) != "MalformedPolicyDocument" {
		t.Errorf("bad JSON: %v, want MalformedPolicyDocument", err)
	}
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"` + strings.Repeat("x", 2000) + `"}]}`
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: awssdk.String("dev"), PolicyName: awssdk.String("big"), PolicyDocument: &big})
	if apiCode(err) != "LimitExceeded" {
		t.Errorf("over 2048 characters: %v, want LimitExceeded", err)
	}
}

func TestRolePoliciesManagedPolicyVersionsAndGroupPoliciesThroughTheSDK(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	must(t, fake.AddRole(acct, "deploy"))
	arn, err := fake.AddManagedPolicy(acct, "assume-deploy", denyDoc)
	must(t, err)
	must(t, fake.SetGroupPolicies(acct, "devs", map[string]string{"g2": denyDoc, "g1": denyDoc}, []string{arn}))
	c := iam.NewFromConfig(cfg)
	ctx := context.Background()
	p, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &arn})
	must(t, err)
	v, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: &arn, VersionId: p.Policy.DefaultVersionId})
	must(t, err)
	if doc, _ := url.QueryUnescape(awssdk.ToString(v.PolicyVersion.Document)); doc != denyDoc {
		t.Errorf("managed policy document %s", doc)
	}
	// Inline names come in name order, a page at a time.
	var names []string
	in := &iam.ListGroupPoliciesInput{GroupName: awssdk.String("devs"), MaxItems: awssdk.Int32(1)}
	for range 3 { // two pages, and a third call would be one too many
		gp, err := c.ListGroupPolicies(ctx, in)
		must(t, err)
		names = append(names, gp.PolicyNames...)
		if !gp.IsTruncated {
			break
		}
		in.Marker = gp.Marker
	}
	if strings.Join(names, ",") != "g1,g2" {
		t.Errorf("group policies %v, want g1,g2 a page each", names)
	}
	ga, err := c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: awssdk.String("devs")})
	must(t, err)
	if len(ga.AttachedPolicies) != 1 || awssdk.ToString(ga.AttachedPolicies[0].PolicyArn) != arn ||
		awssdk.ToString(ga.AttachedPolicies[0].PolicyName) != "assume-deploy" {
		t.Errorf("attached %+v, want %s named assume-deploy", ga.AttachedPolicies, arn)
	}
	roles, err := c.ListRoles(ctx, &iam.ListRolesInput{})
	must(t, err)
	if len(roles.Roles) != 1 || awssdk.ToString(roles.Roles[0].RoleName) != "deploy" {
		t.Errorf("roles %+v", roles.Roles)
	}
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: awssdk.String("deploy"), PolicyName: awssdk.String("AWSRevokeOlderSessions"), PolicyDocument: awssdk.String(denyDoc)})
	must(t, err)
	if doc, ok := fake.RolePolicy(acct, "deploy", "AWSRevokeOlderSessions"); !ok || doc != denyDoc {
		t.Errorf("role policy %q", doc)
	}
	_, err = c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: awssdk.String("nope"), PolicyName: awssdk.String("x")})
	if apiCode(err) != "NoSuchEntity" {
		t.Errorf("unknown role: %v", err)
	}
}
