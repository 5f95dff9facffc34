package main

import (
	"fmt"
	"net/http/httptest"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/offboard/offboard/bot"
	simco "github.com/offboard/offboard/sandbox/company"
	"github.com/offboard/offboard/sandbox/fakeaws"
	"github.com/offboard/offboard/sandbox/fakegithub"
	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/sandbox/simclock"
)

// simCompany is the three fakes on loopback, seeded, sharing one clock.
type simCompany struct {
	clock  *simclock.Clock
	slack  *fakeslack.Server
	github *fakegithub.Server
	aws    *fakeaws.Server
	awsSrv *httptest.Server
}

func startCompany() (*simCompany, error) {
	c := &simCompany{clock: simclock.New(nil)}
	now := c.clock.Now()
	fs, err := fakeslack.Start(fakeslack.Options{Clock: c.clock.Now, TeamName: "Acme", TeamDomain: "acme"})
	if err != nil {
		return nil, fmt.Errorf("start the simulated Slack: %w", err)
	}
	c.slack = fs
	simco.SeedSlack(fs)
	c.github = fakegithub.New(fakegithub.Options{Now: c.clock.Now})
	c.github.Start()
	simco.SeedGitHub(c.github, now)
	c.aws = fakeaws.New(fakeaws.Options{Clock: c.clock.Now})
	c.awsSrv = httptest.NewServer(c.aws)
	if err := simco.SeedAWS(c.aws, now); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *simCompany) close() {
	if c.awsSrv != nil {
		c.awsSrv.Close()
	}
	if c.github != nil {
		c.github.Close()
	}
	if c.slack != nil {
		c.slack.Close()
	}
}

// sandboxSetup is the bot's setup and environment, pointed at the simco.
type sandboxSetup struct {
	setup *setup
	env   cliEnv
}

// setup builds what `run` builds from a file and the environment, from the
// built-in configuration and the fakes' URLs and tokens instead.
func (c *simCompany) setup(e cliEnv, dbFile string, link *sandboxBot) (*sandboxSetup, error) {
	cfg, err := parseConfig([]byte(simco.Config))
	if err != nil {
		return nil, fmt.Errorf("the built-in configuration: %w", err)
	}
	vars := map[string]string{
		"SLACK_API_URL": c.slack.APIURL(), "GITHUB_API_URL": c.github.APIURL(), "GITHUB_GRAPHQL_URL": c.github.GraphQLURL(),
		"OFFBOARD_DB": dbFile, "OFFBOARD_HTTP_ADDR": "127.0.0.1:0",
	}
	getenv := func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		if k == "OFFBOARD_LOG_LEVEL" && e.getenv(k) == "" {
			return "warn" // the page is the sandbox's output
		}
		return e.getenv(k)
	}
	secrets := Secrets{SlackAppToken: c.slack.AppToken(), SlackBotToken: c.slack.BotToken(), GitHubToken: simco.GitHubToken}
	red := e.red
	if red == nil {
		red = newRedactor(e.stderr, nil)
	}
	for _, v := range secrets.values() {
		red.Add(v) // fake tokens, but the bot must not learn to print tokens here either
	}
	log, err := newLogger(getenv, red)
	if err != nil {
		return nil, &configError{err}
	}
	awsCfg := awssdk.Config{Region: "eu-central-1", BaseEndpoint: awssdk.String(c.awsSrv.URL),
		Credentials: credentials.NewStaticCredentialsProvider(simco.AWSKeyID, simco.AWSSecret, "")}
	s := &setup{cfg: cfg, secrets: secrets, log: log, red: red, wire: wiring{
		clock: c.clock.Now,
		aws:   &awsCfg,
		tick:  time.Second,
		// The simulated Slack does not throttle unless asked to (a fault
		// button does), so the sender need not pace itself to one message
		// a second; a click shows its effect at once.
		sender: bot.SenderOptions{PerChannel: 50, Burst: 50},
		ready:  link.set,
	}}
	return &sandboxSetup{setup: s, env: cliEnv{stdout: e.stdout, stderr: e.stderr, getenv: getenv, red: red}}, nil
}
