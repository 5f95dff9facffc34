package github

import (
	"context"
	"strings"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakegithub"
)

func checksByName(cs []connectors.Check) map[string]connectors.Check {
	out := map[string]connectors.Check{}
	for _, c := range cs {
		out[c.Name] = c
	}
	return out
}

func TestCheckPassesForAnOwnerToken(t *testing.T) {
	e := newEnv(t)
	cs := e.conn.Check(context.Background())
	for _, c := range cs {
		if !c.OK {
			t.Errorf("%s failed: %s", c.Name, c.Detail)
		}
	}
	if len(cs) != 5 {
		t.Errorf("%d checks, want token, owner, org, grant classes, rate limit: %+v", len(cs), cs)
	}
}

func TestCheckNamesWhatIsWrong(t *testing.T) {
	cases := []struct {
		name   string
		token  string
		org    string
		failed string
		detail string
	}{
		{"a member who is not an owner", "tok-pleb", org, "github org owner", "needs an owner"},
		{"a token without admin:org", "tok-readonly", org, "github token", "admin:org"},
		{"a wrong token", "nope", org, "github token", "token refused"},
		{"an org that does not exist", "tok-boss", "nope", "github org", "not reachable"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := newFake(t, fakegithub.Options{})
			fake.AddMember(org, fakegithub.Member{Login: "pleb"})
			fake.AddToken("tok-pleb", "pleb")
			fake.AddToken("tok-readonly", "boss", "read:org")
			conn, err := New(Config{Org: tc.org}, Credentials{Token: tc.token}, fastOptions(fake))
			if err != nil {
				t.Fatal(err)
			}
			c, ok := checksByName(conn.Check(context.Background()))[tc.failed]
			if !ok || c.OK || !strings.Contains(c.Detail, tc.detail) {
				t.Errorf("check %q = %+v, want failed saying %q", tc.failed, c, tc.detail)
			}
		})
	}
}

func TestCheckOfAnAppReadsItsInstallationPermissions(t *testing.T) {
	e := newAppEnv(t, newClock())
	for _, c := range e.conn.Check(context.Background()) {
		if !c.OK {
			t.Errorf("%s failed: %s", c.Name, c.Detail)
		}
	}

	fake := newFake(t, fakegithub.Options{})
	app, err := fake.AddApp(org, map[string]string{"members": "read"})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := New(Config{Org: org}, Credentials{AppID: app.ID, InstallationID: app.InstallationID, PrivateKey: app.PrivateKeyPEM}, fastOptions(fake))
	if err != nil {
		t.Fatal(err)
	}
	c := checksByName(conn.Check(context.Background()))["github app permissions"]
	if c.OK || !strings.Contains(c.Detail, "members: write") || !strings.Contains(c.Detail, "organization_personal_access_tokens: write") {
		t.Errorf("permissions check = %+v, want it to name both missing permissions", c)
	}
}

func TestCheckWarnsOnLowRateLimitHeadroom(t *testing.T) {
	fake := newFake(t, fakegithub.Options{CoreLimit: 10})
	conn, _ := New(Config{Org: org}, Credentials{Token: "tok-boss"}, fastOptions(fake))
	for range 9 {
		conn.Grants(context.Background(), connectors.Account{ID: "x"})
	}
	c := checksByName(conn.Check(context.Background()))["github rate limit"]
	if c.OK {
		t.Errorf("rate limit check = %+v, want a warning with under 10%% left", c)
	}
}
