package fakeaws_test

import (
	"context"
	"errors"
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	istypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"

	"github.com/offboard/offboard/sandbox/fakeaws"
)

// idcWorld is an Identity Center owned by acct with one user, in one
// group, with a direct assignment and a group assignment.
type idcWorld struct {
	fake              *fakeaws.Server
	store             *identitystore.Client
	admin             *ssoadmin.Client
	instance, storeID string
	user              fakeaws.IdCUser
	group             fakeaws.IdCGroup
	ps                fakeaws.PermissionSet
	direct            fakeaws.Assignment
}

func newIdCWorld(t *testing.T, opts fakeaws.Options) *idcWorld {
	t.Helper()
	fake, cfg := start(t, opts)
	w := &idcWorld{fake: fake, store: identitystore.NewFromConfig(cfg), admin: ssoadmin.NewFromConfig(cfg)}
	var err error
	w.instance, w.storeID, err = fake.EnableIdentityCenter(acct)
	must(t, err)
	w.user, err = fake.AddIdCUser(fakeaws.IdCUser{UserName: "dana", Emails: []string{"dana@example.com"},
		ExternalIDs: []fakeaws.ExternalID{{Issuer: "https://scim.okta.example", ID: "00u1"}}})
	must(t, err)
	w.group, err = fake.AddIdCGroup(fakeaws.IdCGroup{DisplayName: "developers", Members: []string{w.user.ID}})
	must(t, err)
	w.ps, err = fake.AddPermissionSet("AdministratorAccess")
	must(t, err)
	w.direct = fakeaws.Assignment{AccountID: "111111111111", PermissionSetARN: w.ps.ARN, PrincipalType: "USER", PrincipalID: w.user.ID}
	must(t, fake.AddAssignment(w.direct))
	must(t, fake.AddAssignment(fakeaws.Assignment{AccountID: "222222222222", PermissionSetARN: w.ps.ARN, PrincipalType: "GROUP", PrincipalID: w.group.ID}))
	return w
}

func TestIdentityStoreFindsAUserByUserNameOrEmailAndShowsTheIdPsExternalID(t *testing.T) {
	w := newIdCWorld(t, fakeaws.Options{})
	ctx := context.Background()
	for _, attr := range []struct{ path, value string }{{"userName", "DANA"}, {"emails.value", "dana@example.com"}} {
		out, err := w.store.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: &w.storeID,
			AlternateIdentifier: &istypes.AlternateIdentifierMemberUniqueAttribute{Value: istypes.UniqueAttribute{
				AttributePath: awssdk.String(attr.path), AttributeValue: document.NewLazyDocument(attr.value)}}})
		must(t, err)
		if awssdk.ToString(out.UserId) != w.user.ID {
			t.Errorf("%s=%s: user %s, want %s", attr.path, attr.value, awssdk.ToString(out.UserId), w.user.ID)
		}
	}
	_, err := w.store.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: &w.storeID,
		AlternateIdentifier: &istypes.AlternateIdentifierMemberUniqueAttribute{Value: istypes.UniqueAttribute{
			AttributePath: awssdk.String("userName"), AttributeValue: document.NewLazyDocument("nobody")}}})
	var nf *istypes.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("unknown user: got %v, want ResourceNotFoundException", err)
	}
	u, err := w.store.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &w.storeID, UserId: &w.user.ID})
	must(t, err)
	if len(u.ExternalIds) != 1 || awssdk.ToString(u.ExternalIds[0].Issuer) != "https://scim.okta.example" || u.UserStatus != istypes.UserStatusEnabled {
		t.Errorf("described %+v, want the IdP's external ID and ENABLED", u)
	}
	list, err := w.store.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &w.storeID,
		Filters: []istypes.Filter{{AttributePath: awssdk.String("UserName"), AttributeValue: awssdk.String("dana")}}})
	must(t, err)
	if len(list.Users) != 1 {
		t.Errorf("ListUsers with a UserName filter found %d users, want 1", len(list.Users))
	}
}

func TestAnAssignmentDeletionStaysInProgressThenSucceedsAndOnlyThenRemovesIt(t *testing.T) {
	w := newIdCWorld(t, fakeaws.Options{AsyncPolls: 2})
	ctx := context.Background()
	del, err := w.admin.DeleteAccountAssignment(ctx, &ssoadmin.DeleteAccountAssignmentInput{InstanceArn: &w.instance,
		TargetId: &w.direct.AccountID, TargetType: ssotypes.TargetTypeAwsAccount, PermissionSetArn: &w.ps.ARN,
		PrincipalType: ssotypes.PrincipalTypeUser, PrincipalId: &w.user.ID})
	must(t, err)
	st := del.AccountAssignmentDeletionStatus
	if st.Status != ssotypes.StatusValuesInProgress {
		t.Fatalf("delete answered %s, want IN_PROGRESS", st.Status)
	}
	var seen []ssotypes.StatusValues
	for i := 0; i < 3; i++ {
		out, err := w.admin.DescribeAccountAssignmentDeletionStatus(ctx, &ssoadmin.DescribeAccountAssignmentDeletionStatusInput{
			InstanceArn: &w.instance, AccountAssignmentDeletionRequestId: st.RequestId})
		must(t, err)
		seen = append(seen, out.AccountAssignmentDeletionStatus.Status)
		if i < 2 && !containsAssignment(w.fake.Assignments(), w.direct) {
			t.Errorf("the assignment went before the deletion succeeded")
		}
	}
	want := []ssotypes.StatusValues{"IN_PROGRESS", "IN_PROGRESS", "SUCCEEDED"}
	if len(seen) != 3 || seen[0] != want[0] || seen[1] != want[1] || seen[2] != want[2] {
		t.Errorf("statuses %v, want %v", seen, want)
	}
	if containsAssignment(w.fake.Assignments(), w.direct) {
		t.Errorf("the assignment is still there after SUCCEEDED")
	}
}

func TestAFailedDeletionSaysWhyAndKeepsTheAssignment(t *testing.T) {
	w := newIdCWorld(t, fakeaws.Options{})
	ctx := context.Background()
	w.fake.FailNextDeletion(w.direct, "Received a 404 status error: Not supported account")
	del, err := w.admin.DeleteAccountAssignment(ctx, &ssoadmin.DeleteAccountAssignmentInput{InstanceArn: &w.instance,
		TargetId: &w.direct.AccountID, TargetType: ssotypes.TargetTypeAwsAccount, PermissionSetArn: &w.ps.ARN,
		PrincipalType: ssotypes.PrincipalTypeUser, PrincipalId: &w.user.ID})
	must(t, err)
	out, err := w.admin.DescribeAccountAssignmentDeletionStatus(ctx, &ssoadmin.DescribeAccountAssignmentDeletionStatusInput{
		InstanceArn: &w.instance, AccountAssignmentDeletionRequestId: del.AccountAssignmentDeletionStatus.RequestId})
	must(t, err)
	if st := out.AccountAssignmentDeletionStatus; st.Status != ssotypes.StatusValuesFailed || awssdk.ToString(st.FailureReason) == "" {
		t.Errorf("status %s (%q), want FAILED with a reason", st.Status, awssdk.ToString(st.FailureReason))
	}
	if !containsAssignment(w.fake.Assignments(), w.direct) {
		t.Errorf("a failed deletion removed the assignment")
	}
}

func TestIdentityCenterThrottlesWithA429ThatTheSDKRetries(t *testing.T) {
	w := newIdCWorld(t, fakeaws.Options{})
	w.fake.ThrottleJSON("sso", 2)
	out, err := w.admin.ListAccountAssignmentsForPrincipal(context.Background(), &ssoadmin.ListAccountAssignmentsForPrincipalInput{
		InstanceArn: &w.instance, PrincipalId: &w.user.ID, PrincipalType: ssotypes.PrincipalTypeUser})
	must(t, err)
	if len(out.AccountAssignments) != 1 {
		t.Errorf("got %d assignments, want the direct one", len(out.AccountAssignments))
	}
	if got := codes(w.fake); len(got) != 2 || got[0] != "ListAccountAssignmentsForPrincipal:ThrottlingException" {
		t.Errorf("error codes %v, want two ThrottlingException", got)
	}
	w.fake.ThrottleJSON("sso", 10)
	_, err = w.admin.ListInstances(context.Background(), &ssoadmin.ListInstancesInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ThrottlingException" {
		t.Errorf("got %v after the retries ran out, want ThrottlingException", err)
	}
}

func TestTheInstanceIsTheOwnersOnlyAndAWrongARNIsNotFound(t *testing.T) {
	w := newIdCWorld(t, fakeaws.Options{})
	ctx := context.Background()
	out, err := w.admin.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	must(t, err)
	if len(out.Instances) != 1 || awssdk.ToString(out.Instances[0].IdentityStoreId) != w.storeID {
		t.Fatalf("instances %+v, want the one with store %s", out.Instances, w.storeID)
	}
	_, err = w.admin.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{
		InstanceArn: awssdk.String("arn:aws:sso:::instance/ssoins-0000000000000000"), PermissionSetArn: &w.ps.ARN})
	var nf *ssotypes.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("wrong instance: got %v, want ResourceNotFoundException", err)
	}
	_, err = w.admin.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{
		InstanceArn: &w.instance, PermissionSetArn: awssdk.String(w.ps.ARN + "-gone")})
	if !errors.As(err, &nf) {
		t.Errorf("unknown permission set: got %v, want ResourceNotFoundException", err)
	}
}

func containsAssignment(as []fakeaws.Assignment, a fakeaws.Assignment) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

func codes(fake *fakeaws.Server) []string {
	var cs []string
	for _, c := range fake.Calls() {
		if c.Code != "" {
			cs = append(cs, c.Action+":"+c.Code)
		}
	}
	return cs
}
