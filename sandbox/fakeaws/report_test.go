package fakeaws_test

import (
	"context"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestCredentialReportGoesThroughItsStates(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{ReportPolls: 1})
	used := t0.Add(-48 * time.Hour)
	_, err := fake.AddUser(acct, fakeaws.User{
		Name: "dev", Created: t0.Add(-400 * 24 * time.Hour),
		LoginProfile: &fakeaws.LoginProfile{},
		AccessKeys:   []fakeaws.AccessKey{{LastUsed: &used, LastService: "s3", LastRegion: "eu-west-1"}, {Status: fakeaws.StatusInactive}},
	})
	must(t, err)
	c := iam.NewFromConfig(cfg)
	ctx := context.Background()

	var notPresent *iamtypes.CredentialReportNotPresentException
	if _, err := c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}); !errors.As(err, &notPresent) {
		t.Fatalf("before generating: %v, want ReportNotPresent", err)
	}
	states := []iamtypes.ReportStateType{}
	for range 2 {
		out, err := c.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
		must(t, err)
		states = append(states, out.State)
	}
	if states[0] != iamtypes.ReportStateTypeStarted || states[1] != iamtypes.ReportStateTypeInprogress {
		t.Errorf("states %v, want STARTED then INPROGRESS", states)
	}
	out, err := c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	must(t, err)
	rows, err := csv.NewReader(strings.NewReader(string(out.Content))).ReadAll()
	must(t, err)
	if len(rows) != 3 || len(rows[0]) != 22 || rows[1][0] != "<root_account>" || rows[2][0] != "dev" {
		t.Fatalf("report rows %v, want header, root and dev with 22 columns", rows)
	}
	dev := map[string]string{}
	for i, col := range rows[0] {
		dev[col] = rows[2][i]
	}
	want := map[string]string{
		"password_enabled": "true", "password_last_used": "no_information",
		"access_key_1_active": "true", "access_key_1_last_used_date": "2024-05-30T09:00:00+00:00",
		"access_key_1_last_used_service": "s3", "access_key_2_active": "false",
		"access_key_2_last_used_date": "N/A", "cert_1_active": "false",
	}
	for k, v := range want {
		if dev[k] != v {
			t.Errorf("%s = %q, want %q", k, dev[k], v)
		}
	}
	again, err := c.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	must(t, err)
	if again.State != iamtypes.ReportStateTypeComplete {
		t.Errorf("a fresh report is regenerated (%s), want it reused as COMPLETE", again.State)
	}
}
