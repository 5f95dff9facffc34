package github

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakegithub"
)

const org = "acme"

// env is a fake org with an owner "boss" (token "tok-boss") and a
// connector talking to it.
type env struct {
	t    *testing.T
	fake *fakegithub.Server
	conn *Connector
}

func fastOptions(fake *fakegithub.Server) Options {
	return Options{
		APIURL: fake.APIURL(), Logger: zerolog.Nop(),
		RetryBackoff: time.Millisecond, MaxRateWait: 10 * time.Second,
		RESTRate: 1000, GraphQLRate: 1000, Burst: 1000,
	}
}

func newFake(t *testing.T, opts fakegithub.Options) *fakegithub.Server {
	t.Helper()
	fake := fakegithub.New(opts)
	fake.Start()
	t.Cleanup(fake.Close)
	fake.AddMember(org, fakegithub.Member{Login: "boss", Role: "admin"})
	fake.AddToken("tok-boss", "boss")
	return fake
}

func newEnv(t *testing.T, tune ...func(*Options)) *env {
	t.Helper()
	fake := newFake(t, fakegithub.Options{})
	opts := fastOptions(fake)
	for _, f := range tune {
		f(&opts)
	}
	conn, err := New(Config{Org: org}, Credentials{Token: "tok-boss"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, fake: fake, conn: conn}
}

// newAppEnv is an env whose connector authenticates as a GitHub App with
// members and fine-grained token write access, on a shared clock.
func newAppEnv(t *testing.T, clk *clock) *env {
	t.Helper()
	fake := newFake(t, fakegithub.Options{Now: clk.Now})
	app, err := fake.AddApp(org, map[string]string{"members": "write", "organization_personal_access_tokens": "write",
		"administration": "write", "organization_codespaces": "write"})
	if err != nil {
		t.Fatal(err)
	}
	opts := fastOptions(fake)
	opts.Clock = clk.Now
	conn, err := New(Config{Org: org}, Credentials{AppID: app.ID, InstallationID: app.InstallationID, PrivateKey: app.PrivateKeyPEM}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, fake: fake, conn: conn}
}

func (e *env) grants(login string) []connectors.Grant {
	e.t.Helper()
	gs, err := e.conn.Grants(context.Background(), connectors.Account{System: connectors.GitHub, ID: login, LinkedBy: connectors.LinkConfig})
	if err != nil {
		e.t.Fatalf("Grants(%s): %v", login, err)
	}
	return gs
}

func (e *env) grant(login, kind string) connectors.Grant {
	e.t.Helper()
	for _, g := range e.grants(login) {
		if g.Kind == kind {
			return g
		}
	}
	e.t.Fatalf("no %s grant for %s", kind, login)
	return connectors.Grant{}
}

func (e *env) revoke(g connectors.Grant) connectors.Outcome {
	e.t.Helper()
	out, err := e.conn.Revoke(context.Background(), g)
	if err != nil {
		e.t.Fatalf("Revoke(%s): %v", g.Kind, err)
	}
	return out
}

// clock is a settable clock shared by a fake and a connector.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func days(n int) time.Time { return time.Now().AddDate(0, 0, -n) }

func strconvItoa(n int64) string { return strconv.FormatInt(n, 10) }
