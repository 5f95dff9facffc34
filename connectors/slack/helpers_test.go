package slack

import (
	"testing"

	"github.com/rs/zerolog"
	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeslack"
)

const (
	dana = "U0DANA"
	alex = "U0ALEX"
	sam  = "U0SAM"
	root = "U0ADMIN"
)

// fast gives limits high enough that tests never wait on them.
func fast() Limits {
	r := Rate{PerMinute: 60000, Burst: 100}
	return Limits{Tier2: r, Tier3: r, Tier4: r, SCIMWrite: r, SCIMRead: r, Admin: r}
}

func workspace(t *testing.T, opts fakeslack.Options) *fakeslack.Server {
	t.Helper()
	srv, err := fakeslack.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	srv.AddUser(fakeslack.User{ID: dana, Name: "dana", RealName: "Dana Dev", Email: "dana@example.com", IsAdmin: true})
	srv.AddUser(fakeslack.User{ID: alex, Name: "alex", Email: "alex@example.com"})
	srv.AddUser(fakeslack.User{ID: sam, Name: "sam", Email: "sam@example.com"})
	srv.AddUserGroup(fakeslack.UserGroup{ID: "S0SEC", Handle: "security", Name: "Security team", Members: []string{alex, dana}})
	srv.AddUserGroup(fakeslack.UserGroup{ID: "S0SOLO", Handle: "solo", Members: []string{dana}})
	srv.AddUserGroup(fakeslack.UserGroup{ID: "S0OPS", Handle: "ops", Members: []string{alex, sam}})
	// The owner of the fake's SCIM and admin tokens.
	srv.AddUser(fakeslack.User{ID: root, Name: "root", Email: "root@example.com", IsOwner: true})
	return srv
}

// connector builds the connector on a real slack-go client pointed at srv.
func connector(srv *fakeslack.Server, cfg Config, opts Options) *Connector {
	if opts.Limits == (Limits{}) {
		opts.Limits = fast()
	}
	opts.Logger = zerolog.Nop()
	if opts.APIURL == "" {
		opts.APIURL = srv.APIURL()
	}
	api := slackapi.New(srv.BotToken(), slackapi.OptionAPIURL(srv.APIURL()))
	return New(cfg, api, SCIMOptions{Token: srv.SCIMToken(), BaseURL: srv.SCIMURL()}, opts)
}

func acct(id string) connectors.Account {
	return connectors.Account{System: connectors.Slack, ID: id, LinkedBy: connectors.LinkConfig}
}
