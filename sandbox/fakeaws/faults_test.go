package fakeaws_test

import (
	"context"
	"errors"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestAFractionalFaultFailsAboutThatShare(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{Seed: 7})
	_, err := fake.AddUser(acct, fakeaws.User{Name: "dev"})
	must(t, err)
	fake.AddFault(fakeaws.Fault{Action: "GetUser", Fraction: 0.5, Status: 500, Code: "ServiceFailure", Message: "boom"})
	c := iam.NewFromConfig(cfg, func(o *iam.Options) { o.RetryMaxAttempts = 1 })
	failed := 0
	for range 200 {
		if _, err := c.GetUser(context.Background(), &iam.GetUserInput{UserName: awssdk.String("dev")}); err != nil {
			failed++
		}
	}
	if failed < 60 || failed > 140 {
		t.Errorf("%d of 200 calls failed, want about half", failed)
	}
	if _, err := c.ListUsers(context.Background(), &iam.ListUsersInput{}); err != nil {
		t.Errorf("a fault on GetUser failed ListUsers: %v", err)
	}
}

func TestLatencyDelaysEveryCall(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	fake.SetLatency(30 * time.Millisecond)
	start := time.Now()
	_, err := iam.NewFromConfig(cfg).ListUsers(context.Background(), &iam.ListUsersInput{})
	must(t, err)
	if took := time.Since(start); took < 30*time.Millisecond {
		t.Errorf("call took %v, want at least the 30ms latency", took)
	}
}

func TestAReportCanTakeTimeOnTheClock(t *testing.T) {
	now := t0
	_, cfg := start(t, fakeaws.Options{Clock: func() time.Time { return now }, ReportDelay: time.Minute})
	c := iam.NewFromConfig(cfg)
	ctx := context.Background()
	_, err := c.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	must(t, err)
	var inProgress *iamtypes.CredentialReportNotReadyException
	if _, err := c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}); !errors.As(err, &inProgress) {
		t.Fatalf("got %v, want ReportInProgress before a minute passed", err)
	}
	now = now.Add(time.Minute)
	if _, err := c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}); err != nil {
		t.Fatalf("after a minute: %v", err)
	}
	now = now.Add(5 * time.Hour)
	var expired *iamtypes.CredentialReportExpiredException
	if _, err := c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}); !errors.As(err, &expired) {
		t.Errorf("got %v, want ReportExpired after five hours", err)
	}

}
