// Package github is offboard's connector for one GitHub organization. It
// finds what a person can reach in the org (membership, outside-collaborator
// access, pending org invitations by login or by email, pending repository
// invitations, deploy keys they added, org-billed Codespaces, SAML-SSO
// authorized credentials, fine-grained PAT access), revokes each
// idempotently, never offers to revoke its own token's account or the
// org's last owner, lists dormant members with a few GraphQL calls, and
// checks its own credentials. It takes a token, a GitHub App, or both.
//
// It speaks REST through go-github v60 and GraphQL over plain HTTP, waits
// out GitHub's rate limits rather than hammering, and reports every
// failure as a *connectors.Error. It knows nothing of Slack, storage or
// the offboarding lifecycle.
package github

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	gh "github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
)

// Connector talks to one GitHub org. It is safe for concurrent use.
type Connector struct {
	org  string
	opts Options
	log  zerolog.Logger
	// rest is the client for everything either credential can do: the
	// token's when there is one (an org owner reaches every repository;
	// an App only what it was granted), else the App's. tokenREST and
	// appREST are each nil without their credential; they serve what only
	// that credential may call.
	rest      *gh.Client
	tokenREST *gh.Client
	appREST   *gh.Client
	// gql is the client for GraphQL: the token's when there is one, since
	// an org owner's token sees contributions in every org repository,
	// where an App sees only the repositories it is installed on.
	gql   *gh.Client
	app   *appTokens // nil without an App
	meter *meter
	pause pause
	self  tokenOwner
	notes scanNotes

	infoMu sync.Mutex
	info   *orgInfo
}

// New builds a connector for cfg.Org. It makes no network call; Check
// does.
func New(cfg Config, creds Credentials, opts Options) (*Connector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := creds.Validate(); err != nil {
		return nil, err
	}
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Connector{org: cfg.Org, opts: o, log: o.Logger.With().Str("system", "github").Str("org", cfg.Org).Logger()}
	c.meter = newMeter(o.HTTPClient.Transport, o)
	// Each credential has its own ETag cache: the two may see different
	// things at the same URL.
	if creds.HasToken() {
		token := func(context.Context) (string, error) { return creds.Token, nil }
		if c.tokenREST, err = newRESTClient(newETagCache(&bearer{next: c.meter, token: token}), o.APIURL); err != nil {
			return nil, err
		}
	}
	if creds.IsApp() {
		if c.app, err = newAppTokens(creds, c.meter, o); err != nil {
			return nil, err
		}
		if c.appREST, err = newRESTClient(newETagCache(&bearer{next: c.meter, token: c.app.Token}), o.APIURL); err != nil {
			return nil, err
		}
	}
	c.rest = c.tokenREST
	if c.rest == nil {
		c.rest = c.appREST
	}
	c.gql = c.rest
	return c, nil
}

// newRESTClient is a go-github client over rt, pointed at apiURL.
func newRESTClient(rt http.RoundTripper, apiURL string) (*gh.Client, error) {
	c := gh.NewClient(&http.Client{Transport: rt})
	u, err := url.Parse(apiURL)
	if err != nil {
		return nil, fmt.Errorf("parse github api url: %w", err)
	}
	c.BaseURL = u
	c.UserAgent = "offboard"
	return c, nil
}

// System is GitHub.
func (c *Connector) System() connectors.System { return connectors.GitHub }

// Scope is the org.
func (c *Connector) Scope() string { return c.org }

func (c *Connector) now() time.Time { return c.opts.Clock() }

// account is acct placed in this connector's org.
func (c *Connector) account(acct connectors.Account) connectors.Account {
	acct.System, acct.Scope = connectors.GitHub, c.org
	return acct
}
