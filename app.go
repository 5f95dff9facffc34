package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws"
	"github.com/offboard/offboard/connectors/aws/idc"
	"github.com/offboard/offboard/connectors/github"
	"github.com/offboard/offboard/connectors/manual"
	slackconn "github.com/offboard/offboard/connectors/slack"
	"github.com/offboard/offboard/flows"
)

// calls counts connector API calls per system (for `scan --format json`)
// and feeds the latency and error metrics.
type calls struct {
	mu      sync.Mutex
	n       map[connectors.System]int
	latency *prometheus.HistogramVec
	errors  *prometheus.CounterVec
}

func newCalls(reg prometheus.Registerer) *calls {
	c := &calls{n: map[connectors.System]int{},
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "offboard_connector_call_seconds",
			Help: "Latency of connector API calls.", Buckets: prometheus.DefBuckets}, []string{"system", "op"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "offboard_connector_errors_total",
			Help: "Failed connector API calls."}, []string{"system", "op"}),
	}
	if reg != nil {
		reg.MustRegister(c.latency, c.errors)
	}
	return c
}

func (c *calls) observe(system connectors.System, op string, took time.Duration, err error) {
	c.mu.Lock()
	c.n[system]++
	c.mu.Unlock()
	c.latency.WithLabelValues(string(system), op).Observe(took.Seconds())
	if err != nil {
		c.errors.WithLabelValues(string(system), op).Inc()
	}
}

func (c *calls) counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, v := range c.n {
		out[string(k)] = v
	}
	return out
}

// slackClient builds the slack-go client from the tokens and SLACK_API_URL.
func slackClient(s Secrets, e env) *slack.Client {
	return slack.New(s.SlackBotToken, slack.OptionAppLevelToken(s.SlackAppToken), slack.OptionAPIURL(slackAPIURL(e)))
}

// slackAPIURL is SLACK_API_URL ending with "/", default Slack's own.
func slackAPIURL(e env) string {
	u := e("SLACK_API_URL")
	if u == "" {
		return slack.APIURL
	}
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// connStatus says whether one connector is on, and why not.
type connStatus struct {
	Name string
	On   bool
	// Wanted is false when the file has no section for it: being off is
	// then what the operator asked for, not a problem.
	Wanted bool
	Detail string
}

func (c connStatus) String() string {
	if c.On {
		return c.Name + ": on (" + c.Detail + ")"
	}
	return c.Name + ": off (" + c.Detail + ")"
}

// buildConnectors turns on each connector whose section and credentials are
// present, and says which are on and which are off, and why.
// secret, when set, is told each credential a connector mints at run time
// (a GitHub App installation token, STS session keys) so that the log
// redactor hides it too.
func buildConnectors(ctx context.Context, cfg *Config, s Secrets, e env, api *slack.Client, log zerolog.Logger, obs connectors.Observer, secret func(string), w wiring) (flows.Connectors, []connStatus) {
	var conns flows.Connectors
	var status []connStatus
	if cfg.GitHub == nil {
		status = append(status, connStatus{Name: "github", Detail: "no github section"})
	} else {
		creds := github.Credentials{Token: s.GitHubToken, PrivateKey: s.GitHubAppKey}
		creds.AppID, _ = strconv.ParseInt(s.GitHubAppID, 10, 64)
		creds.InstallationID, _ = strconv.ParseInt(s.GitHubInstall, 10, 64)
		if s.GitHubToken == "" && !creds.IsApp() {
			status = append(status, connStatus{Name: "github", Wanted: true, Detail: "no GITHUB_TOKEN or GitHub App credentials"})
		} else if c, err := github.New(*cfg.GitHub, creds, github.Options{APIURL: e("GITHUB_API_URL"), GraphQLURL: e("GITHUB_GRAPHQL_URL"), Secret: secret, Clock: w.clock,
			Logger: log.With().Str("connector", "github").Logger(), Observer: obs}); err != nil {
			status = append(status, connStatus{Name: "github", Wanted: true, Detail: err.Error()})
		} else {
			conns = append(conns, c)
			// A token and an App may both be set: each covers grant classes
			// the other cannot see (doctor lists them).
			status = append(status, connStatus{Name: "github", On: true, Wanted: true, Detail: "org " + cfg.GitHub.Org + ", " + creds.String()})
		}
	}
	if cfg.AWS == nil {
		status = append(status, connStatus{Name: "aws", Detail: "no aws section"})
	} else if awsCfg, err := w.awsConfig(ctx); err != nil {
		status = append(status, connStatus{Name: "aws", Wanted: true, Detail: err.Error()})
	} else {
		cs, err := aws.New(ctx, *cfg.AWS, aws.Options{AWSConfig: &awsCfg, Logger: log.With().Str("connector", "aws").Logger(), Observer: obs, Secret: secret, Clock: w.clock})
		if err != nil {
			status = append(status, connStatus{Name: "aws", Wanted: true, Detail: err.Error()})
		}
		for _, c := range cs {
			conns = append(conns, c)
			status = append(status, connStatus{Name: "aws", On: true, Wanted: true, Detail: fmt.Sprintf("account %s (%s), mode %s", c.Scope(), c.Name(), c.Mode())})
		}
		if cfg.AWS.IdentityCenter != nil {
			ic, err := idc.New(ctx, *cfg.AWS.IdentityCenter, idc.Options{AWSConfig: &awsCfg, Logger: log.With().Str("connector", "idc").Logger(), Observer: obs})
			if err != nil {
				status = append(status, connStatus{Name: "idc", Wanted: true, Detail: err.Error()})
			} else {
				conns = append(conns, ic)
				status = append(status, connStatus{Name: "idc", On: true, Wanted: true, Detail: "identity store " + ic.Scope() + ", instance " + ic.InstanceARN()})
			}
		}
	}
	if cfg.SlackConnector == nil || !cfg.SlackConnector.On() {
		status = append(status, connStatus{Name: "slack", Detail: "no slack_connector section"})
	} else {
		scim := slackconn.SCIMOptions{}
		if cfg.SlackConnector.SCIM {
			scim.Token = s.SlackSCIMToken
			if u := e("SLACK_SCIM_URL"); u != "" {
				scim.BaseURL = u
			}
		}
		opts := slackconn.Options{Logger: log.With().Str("connector", "slack").Logger(), Observer: obs, APIURL: slackAPIURL(e)}
		if cfg.SlackConnector.Sessions || cfg.SlackConnector.AccessLogs {
			opts.AdminToken = s.SlackAdminToken
		}
		conns = append(conns, slackconn.New(*cfg.SlackConnector, api, scim, opts))
		status = append(status, connStatus{Name: "slack", On: true, Wanted: true, Detail: slackWords(*cfg.SlackConnector, scim.Token, opts.AdminToken)})
	}
	if m := manual.New(cfg.Manual); m != nil {
		conns = append(conns, m)
		status = append(status, connStatus{Name: "manual", On: true, Wanted: true, Detail: fmt.Sprintf("%d tasks", len(cfg.Manual.Tasks))})
	} else {
		status = append(status, connStatus{Name: "manual", Detail: "no manual_tasks"})
	}
	return conns, status
}

// awsCredentials loads the SDK's configuration and checks that its chain
// (environment, profile, SSO, instance role) yields credentials at all: a
// connector without credentials is off, and says so.
func awsCredentials(ctx context.Context) (awssdk.Config, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	// The SDK's own logger would print to stderr, outside our log lines.
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithLogger(logging.Nop{}))
	if err != nil {
		return cfg, fmt.Errorf("load AWS configuration: %w", err)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return cfg, errors.New("no AWS credentials in the SDK's chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, SSO, instance role)")
	}
	return cfg, nil
}

// slackWords says what the Slack connector does with the tokens it has.
func slackWords(cfg slackconn.Config, scimToken, adminToken string) string {
	var on, off []string
	add := func(want bool, have bool, what, missing string) {
		switch {
		case want && have:
			on = append(on, what)
		case want:
			off = append(off, what+" off: no "+missing)
		}
	}
	add(cfg.UserGroups, true, "user groups", "")
	add(cfg.SCIM, scimToken != "", "SCIM account deactivation", "SLACK_SCIM_TOKEN")
	add(cfg.Sessions, adminToken != "", "session reset (Enterprise Grid)", "SLACK_ADMIN_TOKEN")
	add(cfg.AccessLogs, adminToken != "", "dormancy scan", "SLACK_ADMIN_TOKEN")
	words := strings.Join(on, ", ")
	if len(off) > 0 {
		words += "; " + strings.Join(off, "; ")
	}
	return strings.TrimPrefix(words, "; ")
}
