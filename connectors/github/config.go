package github

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
)

// Config is the `github:` section of offboard.yml.
type Config struct {
	Org string `yaml:"org"`
}

// orgName is GitHub's rule for org logins: alphanumerics and single
// hyphens, not at either end, at most 39 characters.
var orgName = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,38}$`)

// Validate says what is wrong with the section, if anything.
func (c Config) Validate() error {
	if c.Org == "" {
		return errors.New("github.org is required")
	}
	if !orgName.MatchString(c.Org) {
		return fmt.Errorf("github.org %q is not a GitHub organization name", c.Org)
	}
	return nil
}

// Credentials are a token (GITHUB_TOKEN), a GitHub App (GITHUB_APP_ID,
// GITHUB_APP_INSTALLATION_ID, and the PEM private key), or both. GitHub
// lets only a token list SAML-SSO credential authorizations and only an
// App list fine-grained PAT grants, so a deployment with one of them is
// blind to the other's grant class; with both, each is used for what only
// it can reach. The caller resolves the environment; this package only
// takes values.
type Credentials struct {
	Token          string `json:"-" yaml:"-"`
	AppID          int64  `json:"app_id,omitempty"`
	InstallationID int64  `json:"installation_id,omitempty"`
	PrivateKey     []byte `json:"-" yaml:"-"`
}

// IsApp says whether the credentials are a GitHub App's.
func (c Credentials) IsApp() bool {
	return c.AppID != 0 || c.InstallationID != 0 || len(c.PrivateKey) > 0
}

// HasToken says whether a token is set.
func (c Credentials) HasToken() bool { return c.Token != "" }

// Validate checks that at least one kind of credential is set and that an
// App, when set at all, is complete.
func (c Credentials) Validate() error {
	switch {
	case c.IsApp() && (c.AppID == 0 || c.InstallationID == 0 || len(c.PrivateKey) == 0):
		return errors.New("github: a GitHub App needs an app ID, an installation ID and a private key")
	case !c.IsApp() && c.Token == "":
		return errors.New("github: set a token, a GitHub App, or both")
	}
	return nil
}

// String names the kind of credential and never its secret, so that a
// stray %v cannot leak it into a log.
func (c Credentials) String() string {
	if c.IsApp() && c.Token != "" {
		return fmt.Sprintf("github token and github app %d installation %d", c.AppID, c.InstallationID)
	}
	if c.IsApp() {
		return fmt.Sprintf("github app %d installation %d", c.AppID, c.InstallationID)
	}
	if c.Token != "" {
		return "github token"
	}
	return "no github credentials"
}

// GoString is String, for %#v.
func (c Credentials) GoString() string { return c.String() }

// Options tunes how the connector talks to GitHub. The zero value works
// against api.github.com.
type Options struct {
	// APIURL is the REST base; default https://api.github.com/. For
	// GitHub Enterprise Server use https://HOST/api/v3/.
	APIURL string
	// GraphQLURL defaults to APIURL's: …/graphql, or https://HOST/api/graphql
	// when APIURL ends in /api/v3/.
	GraphQLURL string
	// HTTPClient supplies the base transport (proxies, TLS); only its
	// Transport is used, wrapped by the connector's limits and auth.
	// Default: a transport keeping MaxConcurrency idle connections.
	HTTPClient *http.Client
	// Logger gets one line per waited rate limit and retried failure; the
	// zero value logs nothing.
	Logger zerolog.Logger
	// Clock is used for App token expiry and activity windows; default time.Now.
	Clock func() time.Time
	// Observer is told of every HTTP call.
	Observer connectors.Observer
	// RESTRate and GraphQLRate cap secondary-limit points per second
	// (defaults 15 and 30: GitHub allows 900 REST and 2,000 GraphQL points
	// a minute; a REST read costs 1 point, a write 5); Burst is the bucket
	// size of each (default 30, at least 5 so that a write fits).
	RESTRate, GraphQLRate float64
	Burst                 int
	// MaxConcurrency caps calls in flight (default 8; GitHub allows 100).
	MaxConcurrency int
	// MaxRateWait is the longest one operation waits for rate limits
	// before it gives up with a retryable error (default 90 s).
	MaxRateWait time.Duration
	// Retries is how often a call is retried after a 5xx or network
	// fault (default 2; negative for never), starting after RetryBackoff
	// (default 500 ms) and doubling.
	Retries      int
	RetryBackoff time.Duration
	// CallTimeout bounds one HTTP call (default 30 s).
	CallTimeout time.Duration
	// Batch is the number of members per dormancy GraphQL query (default 50).
	Batch int
	// Secret is told each secret the connector mints at run time (a GitHub
	// App installation token), so that the caller can redact it from logs
	// and error texts. Optional.
	Secret func(string)
}

func (o Options) withDefaults() (Options, error) {
	if o.APIURL == "" {
		o.APIURL = "https://api.github.com/"
	}
	if !strings.HasSuffix(o.APIURL, "/") {
		o.APIURL += "/"
	}
	if _, err := url.Parse(o.APIURL); err != nil {
		return o, fmt.Errorf("parse github api url: %w", err)
	}
	if o.GraphQLURL == "" {
		o.GraphQLURL = GraphQLURLFor(o.APIURL)
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	defaults := func(v *float64, d float64) {
		if *v <= 0 {
			*v = d
		}
	}
	defaults(&o.RESTRate, 15)
	defaults(&o.GraphQLRate, 30)
	defaultInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defaultInt(&o.Burst, 30)
	o.Burst = max(o.Burst, writePoints)
	defaultInt(&o.MaxConcurrency, 8)
	defaultInt(&o.Batch, 50)
	if o.HTTPClient == nil {
		// Keep a connection per concurrent call: the default two idle
		// connections per host would mean a TLS handshake for most calls.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = o.MaxConcurrency
		o.HTTPClient = &http.Client{Transport: t}
	}
	switch {
	case o.Retries == 0:
		o.Retries = 2
	case o.Retries < 0:
		o.Retries = 0
	}
	defaultDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	defaultDur(&o.MaxRateWait, 90*time.Second)
	defaultDur(&o.RetryBackoff, 500*time.Millisecond)
	defaultDur(&o.CallTimeout, 30*time.Second)
	return o, nil
}

// GraphQLURLFor derives the GraphQL endpoint from a REST base URL:
// https://api.github.com/ → https://api.github.com/graphql, and GitHub
// Enterprise Server's https://HOST/api/v3/ → https://HOST/api/graphql.
func GraphQLURLFor(apiURL string) string {
	if base, ok := strings.CutSuffix(apiURL, "/api/v3/"); ok {
		return base + "/api/graphql"
	}
	return strings.TrimSuffix(apiURL, "/") + "/graphql"
}
