package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Secrets are the credentials offboard reads from the environment, never
// from the configuration file. Each may instead be given as a
// file named by NAME_FILE, as container secret mounts do.
type Secrets struct {
	SlackAppToken  string
	SlackBotToken  string
	SlackSCIMToken string
	GitHubToken    string
	GitHubAppID    string
	GitHubInstall  string
	GitHubAppKey   []byte

	// SlackAdminToken is an optional admin user token (xoxp-): session
	// reset on Enterprise Grid, and Slack's dormancy signal.
	SlackAdminToken string
}

// env is os.Getenv, replaceable in tests.
type env func(string) string

// secret reads NAME, or the file NAME_FILE names; both at once is a mistake.
func (e env) secret(name string) (string, error) {
	v, file := e(name), e(name+"_FILE")
	if v != "" && file != "" {
		return "", fmt.Errorf("%s and %s_FILE are both set; keep one", name, name)
	}
	if file == "" {
		return strings.TrimSpace(v), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// loadSecrets reads every secret and checks the forms it can check.
func loadSecrets(e env) (Secrets, error) {
	var s Secrets
	var errs []error
	get := func(name string, dst *string) {
		v, err := e.secret(name)
		if err != nil {
			errs = append(errs, err)
		}
		*dst = v
	}
	get("SLACK_APP_TOKEN", &s.SlackAppToken)
	get("SLACK_BOT_TOKEN", &s.SlackBotToken)
	get("SLACK_SCIM_TOKEN", &s.SlackSCIMToken)
	get("SLACK_ADMIN_TOKEN", &s.SlackAdminToken)
	get("GITHUB_TOKEN", &s.GitHubToken)
	get("GITHUB_APP_ID", &s.GitHubAppID)
	get("GITHUB_APP_INSTALLATION_ID", &s.GitHubInstall)
	var key string
	get("GITHUB_APP_PRIVATE_KEY", &key)
	if key != "" {
		s.GitHubAppKey = []byte(key)
	}
	if s.SlackAppToken != "" && !strings.HasPrefix(s.SlackAppToken, "xapp-") {
		errs = append(errs, errors.New("SLACK_APP_TOKEN: not an app-level token (it starts with xapp-)"))
	}
	if s.SlackBotToken != "" && !strings.HasPrefix(s.SlackBotToken, "xoxb-") {
		errs = append(errs, errors.New("SLACK_BOT_TOKEN: not a bot token (it starts with xoxb-)"))
	}
	if s.SlackAdminToken != "" && !strings.HasPrefix(s.SlackAdminToken, "xoxp-") {
		errs = append(errs, errors.New("SLACK_ADMIN_TOKEN: not a user token (it starts with xoxp-)"))
	}
	app := s.GitHubAppID != "" || s.GitHubInstall != "" || len(s.GitHubAppKey) > 0
	if app && (s.GitHubAppID == "" || s.GitHubInstall == "" || len(s.GitHubAppKey) == 0) {
		errs = append(errs, errors.New("GitHub App: set all of GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PRIVATE_KEY_FILE"))
	}
	if app && s.GitHubToken != "" {
		errs = append(errs, errors.New("GITHUB_TOKEN and a GitHub App are both configured; keep one"))
	}
	return s, errors.Join(errs...)
}

// values lists every secret's value, for redaction.
func (s Secrets) values() []string {
	out := []string{s.SlackAppToken, s.SlackBotToken, s.SlackSCIMToken, s.SlackAdminToken, s.GitHubToken}
	if len(s.GitHubAppKey) > 0 {
		out = append(out, string(s.GitHubAppKey))
	}
	return out
}

// otherSecretVars are credentials read by others (the AWS SDK's chain, the
// optional Slack admin token) that must be redacted all the same.
var otherSecretVars = []string{"SLACK_ADMIN_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}

// environmentSecrets lists every secret value the environment holds, for
// redaction, as far as it can be read: a mistake in it (both NAME and
// NAME_FILE set) is reported by the command that needs the secret, and
// must not keep the others from being redacted meanwhile.
func environmentSecrets(e env) []string {
	s, _ := loadSecrets(e)
	out := s.values()
	for _, name := range otherSecretVars {
		if v, err := e.secret(name); err == nil {
			out = append(out, v)
		}
	}
	for _, name := range []string{"SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SCIM_TOKEN", "GITHUB_TOKEN", "GITHUB_APP_PRIVATE_KEY"} {
		out = append(out, e(name)) // the raw value, even where its _FILE twin won
	}
	return out
}
