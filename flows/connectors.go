package flows

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/offboard/offboard/connectors"
)

// Connector is what flows needs of every connector: find an account's
// grants and revoke one of them.
type Connector interface {
	System() connectors.System
	// Scope is the org, AWS account ID or team the connector works in.
	Scope() string
	Grants(ctx context.Context, acct connectors.Account) ([]connectors.Grant, error)
	Revoke(ctx context.Context, g connectors.Grant) (connectors.Outcome, error)
}

// DormancyReporter is a connector that can list dormant accounts.
type DormancyReporter interface {
	Dormant(ctx context.Context, now time.Time, inactiveDays int) ([]connectors.Dormant, error)
}

// ScanNoter is a connector that can say what its dormancy scan cannot see
// (private contributions a token cannot read, Slack without an admin
// token); the report says so, so that silence is never read as "nothing".
type ScanNoter interface {
	ScanNotes() []string
}

// EmailFinder is a connector that can find accounts by email, for linking.
type EmailFinder interface {
	FindByEmail(ctx context.Context, email string) ([]connectors.Account, error)
}

// Connectors is every connector that is on.
type Connectors []Connector

// For returns the connector of a system and scope; scope "" matches the
// first connector of the system. A connector that does not know its scope
// yet (Slack learns its team at its first call) matches any: a process that
// executes before it has discovered anything must still find it.
func (cs Connectors) For(system connectors.System, scope string) Connector {
	for _, c := range cs {
		if c.System() == system && (scope == "" || c.Scope() == scope) {
			return c
		}
	}
	for _, c := range cs {
		if c.System() == system && c.Scope() == "" {
			return c
		}
	}
	return nil
}

// Of returns every connector of a system.
func (cs Connectors) Of(system connectors.System) []Connector {
	var out []Connector
	for _, c := range cs {
		if c.System() == system {
			out = append(out, c)
		}
	}
	return out
}

func defaultJitter() float64 { return rand.Float64() }
