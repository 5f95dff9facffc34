package aws

import (
	"context"
	"path/filepath"
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestTheSDKChainAndEndpointVariablesAreHonoured(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedEverything(t, e.fake, acctID, "dev")
	url := awssdk.ToString(e.cfg.BaseEndpoint)
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           "AKIDBASE",
		"AWS_SECRET_ACCESS_KEY":       "base-secret",
		"AWS_REGION":                  "",
		"AWS_PROFILE":                 "",
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_ENDPOINT_URL":            "",
		"AWS_ENDPOINT_URL_IAM":        url,
		"AWS_ENDPOINT_URL_STS":        url,
	} {
		t.Setenv(k, v)
	}
	cs, err := New(context.Background(), Config{}, Options{Logger: zerolog.Nop()})
	must(t, err)
	if cs[0].Scope() != acctID {
		t.Fatalf("scope %s, want %s from GetCallerIdentity at the fake", cs[0].Scope(), acctID)
	}
	gs, err := cs[0].Grants(context.Background(), connectors.Account{ID: "dev"})
	if err != nil || len(gs) == 0 {
		t.Errorf("grants %d, %v; want the seeded user's grants through AWS_ENDPOINT_URL_IAM", len(gs), err)
	}
}
