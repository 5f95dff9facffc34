package aws

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

// acctID is the account the base credentials live in.
const acctID = "123456789012"

// t0 is the fake's clock: every seeded date is relative to it.
var t0 = time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)

// env is a fake IAM/STS on loopback and SDK configuration that reaches it
// with the base credentials (user "offboard" of acctID).
type env struct {
	fake *fakeaws.Server
	cfg  awssdk.Config
}

func newEnv(t testing.TB, fo fakeaws.Options) *env {
	t.Helper()
	if fo.Clock == nil {
		fo.Clock = func() time.Time { return t0 }
	}
	fake := fakeaws.New(fo)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	must(t, fake.AddAccount(acctID))
	must(t, fake.AddCredentials("AKIDBASE", acctID, "offboard"))
	return &env{fake: fake, cfg: awssdk.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDBASE", "base-secret", ""),
		BaseEndpoint: awssdk.String(srv.URL),
	}}
}

// fastOptions keep retries and report polling to milliseconds.
func (e *env) fastOptions() Options {
	return Options{
		AWSConfig:         &e.cfg,
		Logger:            zerolog.Nop(),
		Clock:             func() time.Time { return t0 },
		RequestsPerSecond: 10000,
		MaxBackoff:        time.Millisecond,
		ReportPoll:        time.Millisecond,
	}
}

// connector builds the connector of the base credentials' own account.
func (e *env) connector(t testing.TB, mode string) *Connector {
	t.Helper()
	cs, err := New(context.Background(), Config{Mode: mode}, e.fastOptions())
	must(t, err)
	if len(cs) != 1 {
		t.Fatalf("got %d connectors, want 1", len(cs))
	}
	return cs[0]
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// seedEverything gives a user one of every kind of grant (two access keys,
// one used three days ago, the other never).
func seedEverything(t testing.TB, fake *fakeaws.Server, account, name string) fakeaws.User {
	t.Helper()
	keyUsed := t0.Add(-72 * time.Hour)
	pwUsed := t0.Add(-24 * time.Hour)
	u, err := fake.AddUser(account, fakeaws.User{
		Name:             name,
		Created:          t0.AddDate(-1, 0, 0),
		Tags:             map[string]string{"email": name + "@example.com"},
		PasswordLastUsed: &pwUsed,
		LoginProfile:     &fakeaws.LoginProfile{},
		AccessKeys: []fakeaws.AccessKey{
			{LastUsed: &keyUsed, LastService: "s3", LastRegion: "eu-west-1"},
			{},
		},
		SSHKeys:          []fakeaws.SSHKey{{}},
		SigningCerts:     []fakeaws.SigningCert{{}},
		ServiceCreds:     []fakeaws.ServiceCred{{}},
		MFADevices:       []fakeaws.MFADevice{{}},
		Groups:           []string{"developers", "oncall"},
		AttachedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
		InlinePolicies:   map[string]string{"s3-scratch": `{"Version":"2012-10-17","Statement":[]}`},
	})
	must(t, err)
	return u
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

func kinds(gs []connectors.Grant) []string {
	var ks []string
	for _, g := range gs {
		ks = append(ks, g.Kind)
	}
	slices.Sort(ks)
	return ks
}

// codes returns the error codes in the fake's log, in order.
func codes(fake *fakeaws.Server) []string {
	var cs []string
	for _, c := range fake.Calls() {
		if c.Code != "" {
			cs = append(cs, c.Action+":"+c.Code)
		}
	}
	return cs
}
