// Package manual is the connector for work no API can do: the tasks listed
// under manual_tasks ("Collect laptop"). Each becomes an action that an
// approver finishes with Mark done; nothing is ever executed.
package manual

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/offboard/offboard/connectors"
)

// Config is the manual_tasks list at the top level of the file.
type Config struct {
	Tasks []string `yaml:"manual_tasks"`
}

// Validate checks the task texts.
func (c *Config) Validate() error {
	var errs []error
	seen := map[string]bool{}
	for i, t := range c.Tasks {
		switch {
		case strings.TrimSpace(t) == "":
			errs = append(errs, fmt.Errorf("manual_tasks[%d]: empty task", i))
		case len(t) > 200:
			errs = append(errs, fmt.Errorf("manual_tasks[%d]: longer than 200 characters", i))
		case seen[t]:
			errs = append(errs, fmt.Errorf("manual_tasks[%d]: %q is listed twice", i, t))
		}
		seen[t] = true
	}
	return errors.Join(errs...)
}

// Kind is the grant kind of a manual task.
const Kind = "task"

// ErrByHand is returned by Revoke: a manual task is done by a person.
var ErrByHand = &connectors.Error{System: connectors.Manual, Op: "run manual task", Kind: connectors.KindConfig,
	Err: errors.New("a manual task is finished by an approver with Mark done")}

// Connector turns the configured tasks into one grant each.
type Connector struct {
	tasks []string
}

// New returns the connector, or nil when no task is configured.
func New(cfg Config) *Connector {
	if len(cfg.Tasks) == 0 {
		return nil
	}
	return &Connector{tasks: cfg.Tasks}
}

// System is connectors.Manual.
func (c *Connector) System() connectors.System { return connectors.Manual }

// Scope is empty: tasks are not in any system.
func (c *Connector) Scope() string { return "" }

// Grants returns one grant per configured task, for every person.
func (c *Connector) Grants(_ context.Context, acct connectors.Account) ([]connectors.Grant, error) {
	out := make([]connectors.Grant, 0, len(c.tasks))
	for i, t := range c.tasks {
		out = append(out, connectors.Grant{
			Account: connectors.Account{System: connectors.Manual, ID: acct.ID, LinkedBy: acct.LinkedBy},
			Kind:    Kind,
			Ref:     strconv.Itoa(i),
			Title:   t,
		})
	}
	return out, nil
}

// Revoke never runs anything: see ErrByHand.
func (c *Connector) Revoke(context.Context, connectors.Grant) (connectors.Outcome, error) {
	return 0, ErrByHand
}
