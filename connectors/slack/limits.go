package slack

import (
	"context"
	"errors"
	"time"

	slackapi "github.com/slack-go/slack"
	"golang.org/x/time/rate"

	"github.com/offboard/offboard/connectors"
)

// Rate is a number of calls per minute with a burst.
type Rate struct {
	PerMinute int
	Burst     int
}

// Limits are the rates the connector keeps to, per Slack rate tier.
type Limits struct {
	Tier2     Rate // usergroups.*
	Tier3     Rate // users.lookupByEmail
	Tier4     Rate // users.info, auth.test
	SCIMWrite Rate // SCIM DELETE Users: 180/min, burst 20 across the org
	SCIMRead  Rate
	// Admin is the user-token methods': team.accessLogs,
	// admin.users.list, admin.users.session.reset (Tier 2 each).
	Admin Rate
}

// DefaultLimits are Slack's published rates, with modest bursts.
func DefaultLimits() Limits {
	return Limits{
		Tier2:     Rate{PerMinute: 20, Burst: 5},
		Tier3:     Rate{PerMinute: 50, Burst: 10},
		Tier4:     Rate{PerMinute: 100, Burst: 20},
		SCIMWrite: Rate{PerMinute: 180, Burst: 20},
		SCIMRead:  Rate{PerMinute: 600, Burst: 20},
		Admin:     Rate{PerMinute: 20, Burst: 5},
	}
}

type limiters struct {
	tier2, tier3, tier4, scimWrite, scimRead, admin *rate.Limiter
}

func newLimiters(l Limits) *limiters {
	mk := func(r Rate) *rate.Limiter {
		if r.PerMinute <= 0 {
			return rate.NewLimiter(rate.Inf, 1)
		}
		return rate.NewLimiter(rate.Limit(float64(r.PerMinute)/60), max(1, r.Burst))
	}
	return &limiters{mk(l.Tier2), mk(l.Tier3), mk(l.Tier4), mk(l.SCIMWrite), mk(l.SCIMRead), mk(l.Admin)}
}

// maxAttempts bounds the inline retries after a 429.
const maxAttempts = 3

// call runs one Slack API call under its tier's limiter, tells the
// observer, and waits out a 429's Retry-After when it is short.
func (c *Connector) call(ctx context.Context, op string, lim *rate.Limiter, f func(context.Context) error) error {
	for attempt := 1; ; attempt++ {
		if err := lim.Wait(ctx); err != nil {
			return err
		}
		start := time.Now()
		err := f(ctx)
		c.opts.Observer.Observe(connectors.Slack, op, time.Since(start), err)
		var rl *slackapi.RateLimitedError
		if !errors.As(err, &rl) || attempt >= maxAttempts || rl.RetryAfter > c.opts.MaxWait {
			return err
		}
		c.opts.Logger.Debug().Str("op", op).Dur("retry_after", rl.RetryAfter).Msg("slack rate limited; waiting")
		if err := connectors.Sleep(ctx, rl.RetryAfter); err != nil {
			return err
		}
	}
}
