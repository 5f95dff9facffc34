package fakeaws_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestASignatureMadeWithTheWrongSecretIsRefusedAsAWSRefusesIt(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	fake.SetSecret("AKIDADMIN", "secret")
	_, _, err := fake.EnableIdentityCenter(acct)
	must(t, err)
	ctx := context.Background()

	if _, err := iam.NewFromConfig(cfg).ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("right secret, query protocol: %v", err)
	}
	if _, err := ssoadmin.NewFromConfig(cfg).ListInstances(ctx, &ssoadmin.ListInstancesInput{}); err != nil {
		t.Fatalf("right secret, JSON protocol: %v", err)
	}

	wrong := cfg.Copy()
	wrong.Credentials = credentials.NewStaticCredentialsProvider("AKIDADMIN", "not-the-secret", "")
	_, err = iam.NewFromConfig(wrong).ListUsers(ctx, &iam.ListUsersInput{})
	if code := apiCode(err); code != "SignatureDoesNotMatch" {
		t.Errorf("IAM with the wrong secret: code %q (%v), want SignatureDoesNotMatch", code, err)
	}
	_, err = ssoadmin.NewFromConfig(wrong).ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	if code := apiCode(err); code != "InvalidSignatureException" {
		t.Errorf("SSO Admin with the wrong secret: code %q (%v), want InvalidSignatureException", code, err)
	}
	unknown := cfg.Copy()
	unknown.Credentials = credentials.NewStaticCredentialsProvider("AKIDNOBODY", "x", "")
	_, err = sts.NewFromConfig(unknown).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if code := apiCode(err); code != "InvalidClientTokenId" {
		t.Errorf("unknown key: code %q, want InvalidClientTokenId", code)
	}
}

func TestKeysFromAssumeRoleAreCheckedWithTheirSessionToken(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	must(t, fake.AddAccount("111111111111"))
	must(t, fake.AddRole("111111111111", "offboard"))
	out, err := sts.NewFromConfig(cfg).AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn: strp("arn:aws:iam::111111111111:role/offboard"), RoleSessionName: strp("s")})
	must(t, err)
	c := out.Credentials
	role := cfg.Copy()
	role.Credentials = credentials.NewStaticCredentialsProvider(*c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken)
	if _, err := iam.NewFromConfig(role).ListUsers(context.Background(), &iam.ListUsersInput{}); err != nil {
		t.Errorf("minted keys: %v", err)
	}
	role.Credentials = credentials.NewStaticCredentialsProvider(*c.AccessKeyId, "forged", *c.SessionToken)
	_, err = iam.NewFromConfig(role).ListUsers(context.Background(), &iam.ListUsersInput{})
	if apiCode(err) != "SignatureDoesNotMatch" {
		t.Errorf("minted key with a forged secret: %v, want SignatureDoesNotMatch", err)
	}
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func strp(s string) *string { return &s }

func TestATrustPolicyWithoutSetSourceIdentityRefusesASourceIdentity(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	must(t, fake.AddAccount("111111111111"))
	must(t, fake.AddRole("111111111111", "offboard"))
	fake.Deny("111111111111", "sts:SetSourceIdentity", true)
	c := sts.NewFromConfig(cfg)
	role := strp("arn:aws:iam::111111111111:role/offboard")
	_, err := c.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: role, RoleSessionName: strp("s"), SourceIdentity: strp("s")})
	if apiCode(err) != "AccessDenied" {
		t.Errorf("with a source identity: %v, want AccessDenied", err)
	}
	if _, err := c.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: role, RoleSessionName: strp("s")}); err != nil {
		t.Errorf("without one: %v", err)
	}
}
