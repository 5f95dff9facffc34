package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/offboard/offboard/bot"
	"github.com/offboard/offboard/connectors/aws"
	"github.com/offboard/offboard/connectors/github"
	"github.com/offboard/offboard/connectors/manual"
	slackconn "github.com/offboard/offboard/connectors/slack"
	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/storage"
)

// Config is the whole configuration file. Each package owns
// its section; this only composes them. A connector whose section is
// absent is off.
type Config struct {
	Flows          flows.Config      `yaml:",inline"`
	Manual         manual.Config     `yaml:",inline"`
	Slack          bot.Config        `yaml:"slack"`
	GitHub         *github.Config    `yaml:"github"`
	AWS            *aws.Config       `yaml:"aws"`
	SlackConnector *slackconn.Config `yaml:"slack_connector"`
	Retention      storage.Retention `yaml:"retention"`
}

// configPath is --config, else OFFBOARD_CONFIG, else ./offboard.yml.
func configPath(flag string, e env) string {
	if flag != "" {
		return flag
	}
	if p := e("OFFBOARD_CONFIG"); p != "" {
		return p
	}
	return "./offboard.yml"
}

// loadConfig reads and checks the file. Every mistake is reported, not only
// the first: unknown keys with their line, values of the wrong type, and
// what each section's Validate finds.
func loadConfig(path string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, &configError{fmt.Errorf("read %s: %w", path, err)}
	}
	cfg, err := parseConfig(raw)
	if err != nil {
		return nil, &configError{fmt.Errorf("%s:\n%w", path, err)}
	}
	return cfg, nil
}

func parseConfig(raw []byte) (*Config, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the file is empty; see offboard.example.yml")
		}
		return nil, fmt.Errorf("not valid YAML: %w", err)
	}
	var problems []string
	problems = append(problems, unknownKeys(&doc, reflect.TypeOf(Config{}), "")...)
	var cfg Config
	if err := doc.Decode(&cfg); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			problems = append(problems, te.Errors...)
		} else {
			problems = append(problems, err.Error())
		}
	}
	cfg.Flows.Defaults()
	cfg.Retention.Defaults()
	for _, err := range []error{cfg.Flows.Validate(), cfg.Manual.Validate(), cfg.Slack.Validate(), cfg.Retention.Validate(), validateSection("github", cfg.GitHub),
		validateSection("aws", cfg.AWS), validateSection("slack_connector", cfg.SlackConnector)} {
		if err != nil {
			problems = append(problems, strings.Split(err.Error(), "\n")...)
		}
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	return &cfg, nil
}

// validateSection runs a connector section's Validate when the section is there.
func validateSection[T interface{ Validate() error }](name string, section *T) error {
	if section == nil {
		return nil
	}
	if err := (*section).Validate(); err != nil {
		var lines []string
		for _, l := range strings.Split(err.Error(), "\n") {
			if !strings.HasPrefix(l, name+".") && !strings.HasPrefix(l, name+":") {
				l = name + ": " + l
			}
			lines = append(lines, l)
		}
		return errors.New(strings.Join(lines, "\n"))
	}
	return nil
}
