package slack

import (
	"context"
	"fmt"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// dormantOnGrid reads admin.users.list (active users, 100 a page, the
// documented default): each user's last_active_ts and date_created, so one
// call per hundred accounts is the whole scan.
func (c *Connector) dormantOnGrid(ctx context.Context, team string, cutoff time.Time, days int) ([]connectors.Dormant, error) {
	var out []connectors.Dormant
	cursor := ""
	for {
		var resp *slackapi.AdminUsersListResponse
		err := c.call(ctx, "admin.users.list", c.lim.admin, func(ctx context.Context) error {
			var err error
			resp, err = c.admin.AdminUsersList(ctx, slackapi.AdminUsersListOptionTeamID(team),
				slackapi.AdminUsersListOptionLimit(100), slackapi.AdminUsersListOptionCursor(cursor))
			return err
		})
		if err != nil {
			return nil, classify("list users with their activity", err)
		}
		for _, u := range resp.Users {
			if d, ok := gridDormant(team, u, cutoff, days); ok {
				out = append(out, d)
			}
		}
		if cursor = resp.ResponseMetadata.Cursor; cursor == "" {
			return out, nil
		}
	}
}

func gridDormant(team string, u slackapi.AdminUser, cutoff time.Time, days int) (connectors.Dormant, bool) {
	if !u.IsActive || u.IsBot || (u.DateCreated > 0 && time.Unix(u.DateCreated, 0).After(cutoff)) {
		return connectors.Dormant{}, false
	}
	last := unixTime(u.LastActiveTimestamp)
	if last != nil && last.After(cutoff) {
		return connectors.Dormant{}, false
	}
	why := fmt.Sprintf("no Slack activity in %d days", days)
	if last == nil {
		why = "no Slack activity on record"
	}
	return connectors.Dormant{Account: connectors.Account{System: connectors.Slack, Scope: team, ID: u.ID},
		Email: u.Email, LastActivity: last, Why: why}, true
}
