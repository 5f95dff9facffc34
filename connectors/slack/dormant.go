package slack

import (
	"context"
	"fmt"
	"time"

	"github.com/offboard/offboard/connectors"
)

// Dormant lists the active human accounts with no Slack activity in the
// inactiveDays before now. The signal needs the admin token and
// access_logs: on Enterprise Grid admin.users.list's last_active_ts, and
// elsewhere team.accessLogs (paid plans). Without them Slack is not
// scanned: Dormant returns nothing and ScanNotes says why, so that the
// report never reads silence as "nobody is dormant".
func (c *Connector) Dormant(ctx context.Context, now time.Time, inactiveDays int) ([]connectors.Dormant, error) {
	const op = "list dormant accounts"
	if !c.cfg.AccessLogs || c.admin == nil {
		return nil, nil
	}
	if inactiveDays <= 0 {
		return nil, &connectors.Error{System: connectors.Slack, Op: op, Kind: connectors.KindConfig,
			Err: fmt.Errorf("inactive days must be positive, got %d", inactiveDays)}
	}
	team, err := c.teamID(ctx)
	if err != nil {
		return nil, err
	}
	admin, err := c.adminOwner(ctx)
	if err != nil {
		return nil, err
	}
	cutoff := now.AddDate(0, 0, -inactiveDays)
	if admin.Grid {
		return c.dormantOnGrid(ctx, team, cutoff, inactiveDays)
	}
	return c.dormantFromAccessLogs(ctx, team, now, cutoff, inactiveDays)
}

// ScanNotes says what the dormancy scan cannot see. Call it after Dormant:
// whether the workspace is on Enterprise Grid is learned there.
func (c *Connector) ScanNotes() []string {
	switch {
	case !c.cfg.AccessLogs:
		return []string{"Slack is not scanned for dormancy: Slack reports activity only to an admin token " +
			"(set slack_connector.access_logs and SLACK_ADMIN_TOKEN)"}
	case c.admin == nil:
		return []string{"Slack is not scanned for dormancy: access_logs is on but SLACK_ADMIN_TOKEN is not set"}
	}
	c.mu.Lock()
	admin := c.adminWho
	c.mu.Unlock()
	if admin != nil && !admin.Grid {
		return []string{"Slack activity comes from team.accessLogs (each user's last access per device and address); " +
			"Slack gives no account creation date off Enterprise Grid, so a new account that has never signed in counts as dormant"}
	}
	return nil
}

func unixTime(secs int64) *time.Time {
	if secs <= 0 {
		return nil
	}
	t := time.Unix(secs, 0).UTC()
	return &t
}
