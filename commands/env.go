package commands

import "time"

// Env is everything a parse depends on besides the text, so that the same
// text and Env always give the same result.
type Env struct {
	// Now is the current instant.
	Now time.Time
	// Location is the configured time zone; nil means UTC.
	Location *time.Location
	// ExecuteAt is the configured time of day for a date without a time,
	// as a duration since midnight, in [0, 24h).
	ExecuteAt time.Duration
	// AWSAccounts are the configured AWS account names that
	// "aws:user@name" may refer to.
	AWSAccounts []string
}

func (e Env) location() *time.Location {
	if e.Location == nil {
		return time.UTC
	}
	return e.Location
}

// check refuses an Env the configuration should never have produced; the
// person typing cannot fix it, so the problem says whom to ask.
func (e Env) check() error {
	if e.ExecuteAt < 0 || e.ExecuteAt >= 24*time.Hour {
		return &Error{
			Problem: "The bot's execute_at setting is not a time of day; ask the operator to fix the configuration.",
			Usage:   usageRequest,
		}
	}
	return nil
}
