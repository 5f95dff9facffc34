// Package slack is the connector for Slack itself: the user groups a person
// belongs to and, with a SCIM token, the account; with an admin user token,
// their sessions (Enterprise Grid) and the dormancy scan. It talks to Slack
// with the bot's own slack-go client, slack-go clients for the user tokens,
// and the SCIM API over HTTP.
//
// It knows nothing of messages, approvals or the offboarding lifecycle; it
// lists grants, revokes one idempotently, finds accounts by email and
// checks its own credentials.
package slack

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// DefaultSCIMURL is Slack's SCIM v2 endpoint.
const DefaultSCIMURL = "https://api.slack.com/scim/v2/"

// DefaultAPIURL is Slack's Web API.
const DefaultAPIURL = "https://slack.com/api/"

// SCIMOptions says how to reach the SCIM API; an empty Token leaves account
// deactivation off.
type SCIMOptions struct {
	Token   string
	BaseURL string // default DefaultSCIMURL; must end with "/"
	// HTTPClient defaults to a client with a 30 s timeout.
	HTTPClient *http.Client
}

// Options tunes the connector; the zero value is ready for production.
type Options struct {
	Logger   zerolog.Logger
	Observer connectors.Observer
	// Limits are the rates the connector keeps to; zero means DefaultLimits.
	Limits Limits
	// MaxWait is the longest Retry-After the connector waits out inline
	// before it gives up and returns a retryable error carrying the wait.
	// Zero means 10 s; a negative value never waits.
	MaxWait time.Duration
	// TeamID is the workspace's ID when already known; otherwise auth.test
	// tells it on first use.
	TeamID string
	// AdminToken is an optional admin user token (xoxp-, SLACK_ADMIN_TOKEN)
	// for session reset (sessions.go) and the dormancy scan (dormant.go).
	AdminToken string
	// APIURL is the Web API the user tokens (admin, SCIM) call; default
	// DefaultAPIURL. Set it to the bot client's (SLACK_API_URL).
	APIURL string
	// HTTPClient carries the user tokens' calls; default a 30 s timeout.
	HTTPClient *http.Client
	// AccessLogPage is the page size of team.accessLogs; default (and
	// Slack's most) 1000.
	AccessLogPage int
}

// Connector revokes Slack access. It is safe for concurrent use.
type Connector struct {
	cfg  Config
	api  *slackapi.Client
	scim SCIMOptions
	opts Options
	lim  *limiters
	// groups serialises the read-modify-write of each user group's members.
	groups keyedLock

	// admin and scimAPI are slack-go clients with the admin and SCIM user
	// tokens; nil without the token.
	admin, scimAPI *slackapi.Client
	// groupsMode is what the connector has learned of who may edit user
	// groups (groupsUnknown, groupsAnyone, groupsAdminOnly).
	groupsMode atomic.Int32

	mu   sync.Mutex
	team string
	bot  string // the bot's own user ID
	// adminWho and scimWho cache whose the user tokens are.
	adminWho, scimWho *tokenOwner
}

// New builds the connector around the bot's own slack-go client.
func New(cfg Config, api *slackapi.Client, scim SCIMOptions, opts Options) *Connector {
	if scim.BaseURL == "" {
		scim.BaseURL = DefaultSCIMURL
	}
	if !strings.HasSuffix(scim.BaseURL, "/") {
		scim.BaseURL += "/"
	}
	if scim.HTTPClient == nil {
		scim.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.MaxWait == 0 {
		opts.MaxWait = 10 * time.Second
	}
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits()
	}
	if opts.APIURL == "" {
		opts.APIURL = DefaultAPIURL
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.AccessLogPage <= 0 {
		opts.AccessLogPage = 1000
	}
	c := &Connector{cfg: cfg, api: api, scim: scim, opts: opts, lim: newLimiters(opts.Limits), team: opts.TeamID}
	userClient := func(token string) *slackapi.Client {
		return slackapi.New(token, slackapi.OptionAPIURL(opts.APIURL), slackapi.OptionHTTPClient(opts.HTTPClient))
	}
	if opts.AdminToken != "" {
		c.admin = userClient(opts.AdminToken)
	}
	if scim.Token != "" {
		c.scimAPI = userClient(scim.Token)
	}
	return c
}

// System is Slack.
func (c *Connector) System() connectors.System { return connectors.Slack }

// Scope is the workspace's team ID, "" until it is known.
func (c *Connector) Scope() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.team
}

// teamID returns the team ID, asking auth.test once.
func (c *Connector) teamID(ctx context.Context) (string, error) {
	if t := c.Scope(); t != "" {
		return t, nil
	}
	resp, err := c.authTest(ctx)
	if err != nil {
		return "", err
	}
	return resp.TeamID, nil
}

func (c *Connector) authTest(ctx context.Context) (*slackapi.AuthTestResponse, error) {
	var resp *slackapi.AuthTestResponse
	err := c.call(ctx, "auth.test", c.lim.tier4, func(ctx context.Context) error {
		var err error
		resp, err = c.api.AuthTestContext(ctx)
		return err
	})
	if err != nil {
		return nil, classify("check credentials", err)
	}
	c.mu.Lock()
	c.team, c.bot = resp.TeamID, resp.UserID
	c.mu.Unlock()
	return resp, nil
}

// botUserID returns the bot's own user ID, asking auth.test once.
func (c *Connector) botUserID(ctx context.Context) (string, error) {
	c.mu.Lock()
	bot := c.bot
	c.mu.Unlock()
	if bot != "" {
		return bot, nil
	}
	resp, err := c.authTest(ctx)
	if err != nil {
		return "", err
	}
	return resp.UserID, nil
}

func (c *Connector) account(team, userID string, by connectors.LinkMethod) connectors.Account {
	return connectors.Account{System: connectors.Slack, Scope: team, ID: userID, LinkedBy: by}
}
