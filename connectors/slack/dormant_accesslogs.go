package slack

import (
	"context"
	"fmt"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// dormantFromAccessLogs reads team.accessLogs newest first, up to `before`
// = now so the scan's clock decides, and stops at the first page that
// reaches back past the cutoff: each user with an entry since then is
// active. Slack serves at most 100 pages per `before`; past them it
// starts again from the oldest entry seen. Then users.list gives every
// active human, and those with no entry are dormant.
func (c *Connector) dormantFromAccessLogs(ctx context.Context, team string, now, cutoff time.Time, days int) ([]connectors.Dormant, error) {
	active, err := c.recentAccess(ctx, now, cutoff)
	if err != nil {
		return nil, err
	}
	bot, err := c.botUserID(ctx)
	if err != nil {
		return nil, err
	}
	var users []slackapi.User
	err = c.call(ctx, "users.list", c.lim.tier2, func(ctx context.Context) error {
		var err error
		users, err = c.api.GetUsersContext(ctx, slackapi.GetUsersOptionLimit(200))
		return err
	})
	if err != nil {
		return nil, classify("list users", err)
	}
	var out []connectors.Dormant
	for _, u := range users {
		if u.Deleted || u.IsBot || u.ID == bot || u.ID == "USLACKBOT" || active[u.ID] {
			continue
		}
		out = append(out, connectors.Dormant{Account: connectors.Account{System: connectors.Slack, Scope: team, ID: u.ID},
			Email: u.Profile.Email, Why: fmt.Sprintf("no Slack access in %d days (access logs)", days)})
	}
	return out, nil
}

// recentAccess is the set of users with an access-log entry at or after cutoff.
func (c *Connector) recentAccess(ctx context.Context, now, cutoff time.Time) (map[string]bool, error) {
	active := map[string]bool{}
	params := slackapi.AccessLogParameters{Limit: c.opts.AccessLogPage, Before: int(now.Unix())}
	restartedAt, oldest := -1, params.Before
	for {
		var logins []slackapi.Login
		var next string
		err := c.call(ctx, "team.accessLogs", c.lim.admin, func(ctx context.Context) error {
			var err error
			logins, next, err = c.admin.GetAccessLogsContext(ctx, params)
			return err
		})
		if slackCode(err) == "over_pagination_limit" && params.Cursor != "" && oldest != restartedAt {
			// The oldest entry seen becomes the new end of the range; it is
			// read again, which a set does not mind. Were 100 pages all
			// from one second, that would not move on: then it fails.
			params.Cursor, params.Before, restartedAt = "", oldest, oldest
			continue
		}
		if err != nil {
			return nil, classify("read access logs", err)
		}
		done := next == "" || len(logins) == 0
		for _, l := range logins {
			last := time.Unix(int64(l.DateLast), 0)
			if last.Before(cutoff) {
				done = true
				continue
			}
			active[l.UserID] = true
			oldest = min(oldest, l.DateLast)
		}
		if done {
			return active, nil
		}
		params.Cursor = next
	}
}
