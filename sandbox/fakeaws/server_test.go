package fakeaws_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/offboard/offboard/sandbox/fakeaws"
)

const acct = "123456789012"

var t0 = time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)

// start serves a fake with one account and credentials for it, and returns
// an SDK configuration pointed at it with a fast retryer.
func start(t *testing.T, opts fakeaws.Options) (*fakeaws.Server, awssdk.Config) {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return t0 }
	}
	fake := fakeaws.New(opts)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	must(t, fake.AddAccount(acct))
	must(t, fake.AddCredentials("AKIDADMIN", acct, "admin"))
	cfg := awssdk.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDADMIN", "secret", ""),
		BaseEndpoint: awssdk.String(srv.URL),
		Retryer: func() awssdk.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 5
				o.MaxBackoff = time.Millisecond
			})
		},
	}
	return fake, cfg
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestGetUserReturnsWhatWasSeededThroughTheSDK(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	seeded, err := fake.AddUser(acct, fakeaws.User{
		Name: "dev", Tags: map[string]string{"email": "dev@example.com"},
		PermissionsBoundary: "arn:aws:iam::aws:policy/PowerUserAccess",
	})
	must(t, err)
	out, err := iam.NewFromConfig(cfg).GetUser(context.Background(), &iam.GetUserInput{UserName: awssdk.String("dev")})
	must(t, err)
	u := out.User
	if awssdk.ToString(u.UserId) != seeded.ID || awssdk.ToString(u.Arn) != "arn:aws:iam::123456789012:user/dev" {
		t.Errorf("got id %s arn %s, want %s and the user ARN", awssdk.ToString(u.UserId), awssdk.ToString(u.Arn), seeded.ID)
	}
	if !u.CreateDate.Equal(t0) {
		t.Errorf("created %v, want %v", u.CreateDate, t0)
	}
	if len(u.Tags) != 1 || awssdk.ToString(u.Tags[0].Value) != "dev@example.com" {
		t.Errorf("tags %+v, want the email tag", u.Tags)
	}
	if u.PermissionsBoundary == nil || awssdk.ToString(u.PermissionsBoundary.PermissionsBoundaryArn) == "" {
		t.Errorf("permissions boundary missing")
	}
}

func TestMissingUserIsTheSDKsNoSuchEntity(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	_, err := iam.NewFromConfig(cfg).GetUser(context.Background(), &iam.GetUserInput{UserName: awssdk.String("ghost")})
	var nse *iamtypes.NoSuchEntityException
	if !errors.As(err, &nse) {
		t.Fatalf("got %v, want NoSuchEntityException", err)
	}
	calls := fake.Calls()
	if len(calls) != 1 || calls[0].Status != 404 || calls[0].Code != "NoSuchEntity" || calls[0].Params.Get("UserName") != "ghost" {
		t.Errorf("call log %+v, want one 404 NoSuchEntity for ghost", calls)
	}
}

func TestListUsersPagesWithMarker(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	for _, n := range []string{"e", "a", "d", "c", "b"} {
		_, err := fake.AddUser(acct, fakeaws.User{Name: n})
		must(t, err)
	}
	p := iam.NewListUsersPaginator(iam.NewFromConfig(cfg), &iam.ListUsersInput{MaxItems: awssdk.Int32(2)})
	var names []string
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		must(t, err)
		for _, u := range out.Users {
			names = append(names, awssdk.ToString(u.UserName))
		}
	}
	if got := fake.Count("iam", "ListUsers"); got != 3 {
		t.Errorf("%d ListUsers calls, want 3 pages", got)
	}
	if len(names) != 5 || names[0] != "a" || names[4] != "e" {
		t.Errorf("names %v, want a..e in order", names)
	}
}

func TestDeleteUserConflictsUntilEverythingIsRemoved(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	_, err := fake.AddUser(acct, fakeaws.User{Name: "dev", AccessKeys: []fakeaws.AccessKey{{}}, Groups: []string{"devs"}})
	must(t, err)
	c := iam.NewFromConfig(cfg)
	ctx := context.Background()
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: awssdk.String("dev")})
	var conflict *iamtypes.DeleteConflictException
	if !errors.As(err, &conflict) {
		t.Fatalf("got %v, want DeleteConflictException", err)
	}
	u, _ := fake.User(acct, "dev")
	_, err = c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: awssdk.String("dev"), AccessKeyId: awssdk.String(u.AccessKeys[0].ID)})
	must(t, err)
	_, err = c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: awssdk.String("dev"), GroupName: awssdk.String("devs")})
	must(t, err)
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: awssdk.String("dev")})
	must(t, err)
	if _, ok := fake.User(acct, "dev"); ok {
		t.Errorf("user still there after DeleteUser")
	}
}

func TestThrottlingIsRetriedByTheSDK(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	_, err := fake.AddUser(acct, fakeaws.User{Name: "dev"})
	must(t, err)
	fake.Throttle(2)
	_, err = iam.NewFromConfig(cfg).GetUser(context.Background(), &iam.GetUserInput{UserName: awssdk.String("dev")})
	must(t, err)
	calls := fake.Calls()
	if len(calls) != 3 || calls[0].Code != "Throttling" || calls[0].Status != 400 || calls[2].Status != 200 {
		t.Errorf("calls %+v, want two throttled then one success", calls)
	}
}

func TestAssumeRoleActsInTheRolesAccount(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	must(t, fake.AddAccount("222222222222"))
	must(t, fake.AddRole("222222222222", "offboard"))
	out, err := sts.NewFromConfig(cfg).AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn: awssdk.String("arn:aws:iam::222222222222:role/offboard"), RoleSessionName: awssdk.String("s"),
	})
	must(t, err)
	role := cfg.Copy()
	role.Credentials = credentials.NewStaticCredentialsProvider(*out.Credentials.AccessKeyId, *out.Credentials.SecretAccessKey, *out.Credentials.SessionToken)
	id, err := sts.NewFromConfig(role).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	must(t, err)
	if awssdk.ToString(id.Account) != "222222222222" || awssdk.ToString(id.Arn) != "arn:aws:sts::222222222222:assumed-role/offboard/s" {
		t.Errorf("caller %s %s, want the assumed role in 222222222222", awssdk.ToString(id.Account), awssdk.ToString(id.Arn))
	}
	_, err = sts.NewFromConfig(cfg).AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn: awssdk.String("arn:aws:iam::222222222222:role/unknown"), RoleSessionName: awssdk.String("s"),
	})
	if err == nil {
		t.Errorf("assuming an unknown role succeeded")
	}
}

func TestHeldCallWaitsForRelease(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	_, err := fake.AddUser(acct, fakeaws.User{Name: "dev"})
	must(t, err)
	gate := fake.Hold("GetUser")
	done := make(chan error, 1)
	go func() {
		_, err := iam.NewFromConfig(cfg).GetUser(context.Background(), &iam.GetUserInput{UserName: awssdk.String("dev")})
		done <- err
	}()
	<-gate.Arrived()
	select {
	case err := <-done:
		t.Fatalf("held call returned early: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	gate.Release()
	must(t, <-done)
}
