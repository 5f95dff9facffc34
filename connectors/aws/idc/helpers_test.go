package idc

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

// mgmt is the organisation's management account, which owns Identity
// Center; the base credentials are its user "offboard".
const mgmt = "123456789012"

// env is a fake AWS with Identity Center on loopback and SDK configuration
// that reaches it, signed with a secret the fake checks.
type env struct {
	fake              *fakeaws.Server
	cfg               awssdk.Config
	instance, storeID string
}

func newEnv(t testing.TB, fo fakeaws.Options) *env {
	t.Helper()
	fake := fakeaws.New(fo)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	must(t, fake.AddAccount(mgmt))
	must(t, fake.AddCredentials("AKIDBASE", mgmt, "offboard"))
	fake.SetSecret("AKIDBASE", "base-secret")
	e := &env{fake: fake, cfg: awssdk.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDBASE", "base-secret", ""),
		BaseEndpoint: awssdk.String(srv.URL),
	}}
	var err error
	e.instance, e.storeID, err = fake.EnableIdentityCenter(mgmt)
	must(t, err)
	return e
}

func (e *env) options() Options {
	return Options{AWSConfig: &e.cfg, Logger: zerolog.Nop(), RequestsPerSecond: 10000,
		MaxBackoff: time.Millisecond, PollInterval: time.Millisecond}
}

func (e *env) connector(t testing.TB, cfg aws.IdentityCenterConfig) *Connector {
	t.Helper()
	if cfg.Region == "" {
		cfg.Region = "eu-west-1"
	}
	c, err := New(context.Background(), cfg, e.options())
	must(t, err)
	return c
}

// idcCalls counts the calls to Identity Store and SSO Admin.
func (e *env) idcCalls() int { return e.fake.Count("identitystore", "") + e.fake.Count("sso", "") }

func (e *env) permSet(t testing.TB, name string) fakeaws.PermissionSet {
	t.Helper()
	ps, err := e.fake.AddPermissionSet(name)
	must(t, err)
	return ps
}

func (e *env) assign(t testing.TB, account string, ps fakeaws.PermissionSet, kind, principal string) fakeaws.Assignment {
	t.Helper()
	a := fakeaws.Assignment{AccountID: account, PermissionSetARN: ps.ARN, PrincipalType: kind, PrincipalID: principal}
	must(t, e.fake.AddAssignment(a))
	return a
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func idcAccount(name string) connectors.Account {
	return connectors.Account{System: connectors.IdentityCenter, ID: name}
}

func byKind(gs []connectors.Grant, kind string) []connectors.Grant {
	var out []connectors.Grant
	for _, g := range gs {
		if g.Kind == kind {
			out = append(out, g)
		}
	}
	return out
}

func staticCreds(akid string) awssdk.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(akid, "x", "")
}
