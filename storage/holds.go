package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// HoldSlack records that Slack asked for no call on key (a channel) until
// until; an earlier hold is only ever extended.
func (tx *Tx) HoldSlack(ctx context.Context, key string, until time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO slack_holds(key, until) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET until=max(until, excluded.until)`, key, ms(until))
	if err != nil {
		return fmt.Errorf("hold %s: %w", key, err)
	}
	return nil
}

// SlackHold is until when key is held; the zero time when it is not.
func SlackHold(ctx context.Context, q Querier, key string) (time.Time, error) {
	var until int64
	err := q.QueryRowContext(ctx, `SELECT until FROM slack_holds WHERE key=?`, key).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read hold %s: %w", key, err)
	}
	return fromMS(until), nil
}
