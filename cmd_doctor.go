package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

const doctorAbout = `Checks the configuration, the database, the Slack tokens and their scopes,
and for every configured connector its credentials, permissions and
reachability. Prints one line per check; exits 1 when any fails (2 when the
configuration itself is invalid).`

// requiredScopes are the bot scopes the manifest asks for and the features use.
var requiredScopes = []string{"commands", "chat:write", "users:read", "users:read.email", "usergroups:read", "usergroups:write",
	"channels:history", "groups:history"}

// checker is a connector that can check itself.
type checker interface {
	Check(ctx context.Context) []connectors.Check
}

func cmdDoctor(ctx context.Context, e cliEnv, args []string) error {
	f := newFlags("doctor", "offboard doctor [--config offboard.yml]", doctorAbout)
	path := f.configFlag()
	if err := f.parse(e, args, 0); err != nil {
		return err
	}
	s, err := loadSetup(e, *path)
	if err != nil {
		return err
	}
	failed := 0
	report := func(c connectors.Check) {
		mark := "ok  "
		if !c.OK {
			mark = "FAIL"
			failed++
		}
		line := fmt.Sprintf("%s  %s", mark, c.Name)
		if c.Detail != "" {
			line += ": " + c.Detail
		}
		fmt.Fprintln(e.stdout, s.red.String(line))
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	report(connectors.Check{Name: "config", OK: true, Detail: configPath(*path, e.getenv) + " is valid"})

	db, err := storage.Open(ctx, dbPath(e))
	if err != nil {
		report(connectors.Check{Name: "database", Detail: err.Error()})
	} else {
		err := db.Writable(ctx)
		report(connectors.Check{Name: "database", OK: err == nil, Detail: dbPath(e) + map[bool]string{true: " is writable", false: " is not writable"}[err == nil]})
		db.Close()
	}

	api := slackClient(s.secrets, e.getenv)
	for _, c := range slackChecks(ctx, api, s.secrets) {
		report(c)
	}
	conns, status := buildConnectors(ctx, s.cfg, s.secrets, e.getenv, api, s.log, nil, s.red.Add, s.wire)
	for _, st := range status {
		report(connectors.Check{Name: "connector " + st.Name, OK: st.On || !st.Wanted, Detail: map[bool]string{true: "on: ", false: "off: "}[st.On] + st.Detail})
	}
	for _, c := range conns {
		if ch, ok := c.(checker); ok {
			for _, r := range ch.Check(ctx) {
				report(r) // each connector names its checks ("github org owner")
			}
		}
	}
	if failed > 0 {
		return &checkFailed{msg: fmt.Sprintf("%d of the checks failed", failed)}
	}
	fmt.Fprintln(e.stdout, "all checks passed")
	return nil
}

// slackChecks checks the bot token, its scopes, and the app-level token.
func slackChecks(ctx context.Context, api *slack.Client, s Secrets) []connectors.Check {
	var out []connectors.Check
	if s.SlackBotToken == "" || s.SlackAppToken == "" {
		return []connectors.Check{{Name: "slack tokens", Detail: "SLACK_BOT_TOKEN and SLACK_APP_TOKEN must both be set"}}
	}
	resp, err := api.AuthTestContext(ctx)
	if err != nil {
		return append(out, connectors.Check{Name: "slack bot token", Detail: "auth.test: " + err.Error()})
	}
	out = append(out, connectors.Check{Name: "slack bot token", OK: true, Detail: fmt.Sprintf("team %s, bot user %s", resp.Team, resp.User)})
	granted := map[string]bool{}
	for _, sc := range strings.Split(http.Header(resp.Header).Get("X-OAuth-Scopes"), ",") {
		granted[strings.TrimSpace(sc)] = true
	}
	var missing []string
	for _, sc := range requiredScopes {
		if !granted[sc] {
			missing = append(missing, sc)
		}
	}
	if len(missing) > 0 {
		out = append(out, connectors.Check{Name: "slack scopes", Detail: "missing " + strings.Join(missing, ", ") + " (reinstall the app from manifest.yml)"})
	} else {
		out = append(out, connectors.Check{Name: "slack scopes", OK: true, Detail: strings.Join(requiredScopes, ", ")})
	}
	if _, _, err := api.StartSocketModeContext(ctx); err != nil {
		out = append(out, connectors.Check{Name: "slack app token", Detail: "apps.connections.open: " + err.Error()})
	} else {
		out = append(out, connectors.Check{Name: "slack app token", OK: true, Detail: "Socket Mode connections can be opened"})
	}
	return out
}
