package storage

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Retention is how long delivered traffic is kept: the `retention` section
// of the configuration. Envelopes hold what people typed and messages hold
// what the bot said; once handled they are only needed for a while, to
// recognise a redelivery and to debug. The audit log is never pruned: it is
// the record, and its hash chain would break.
type Retention struct {
	InboxDays  int `yaml:"inbox_days"`
	OutboxDays int `yaml:"outbox_days"`
}

// DefaultRetentionDays applies to a retention key left out.
const DefaultRetentionDays = 30

// Defaults fills in the keys left out.
func (r *Retention) Defaults() {
	if r.InboxDays == 0 {
		r.InboxDays = DefaultRetentionDays
	}
	if r.OutboxDays == 0 {
		r.OutboxDays = DefaultRetentionDays
	}
}

// Validate checks the section after Defaults.
func (r Retention) Validate() error {
	var errs []error
	if r.InboxDays < 1 {
		errs = append(errs, fmt.Errorf("retention.inbox_days: %d is not a number of days (1 or more)", r.InboxDays))
	}
	if r.OutboxDays < 1 {
		errs = append(errs, fmt.Errorf("retention.outbox_days: %d is not a number of days (1 or more)", r.OutboxDays))
	}
	return errors.Join(errs...)
}

// Pruned counts the rows one Prune removed.
type Pruned struct{ Inbox, Outbox int64 }

// pruneBatch bounds each delete, so a first prune of a large backlog never
// holds the write lock long enough to delay an envelope's acknowledgement.
const pruneBatch = 1000

// Prune deletes inbox rows processed (done or failed) and outbox rows sent
// more than the configured number of days before now. Pending envelopes and
// messages, messages given up on (kept for the operator) and the audit log
// are kept. The scheduler calls it, for instance daily.
func (db *DB) Prune(ctx context.Context, now time.Time, r Retention) (Pruned, error) {
	r.Defaults()
	var p Pruned
	inboxBefore := ms(now.Add(-time.Duration(r.InboxDays) * 24 * time.Hour))
	outboxBefore := ms(now.Add(-time.Duration(r.OutboxDays) * 24 * time.Hour))
	for _, step := range []struct {
		n     *int64
		query string
		arg   int64
	}{
		{&p.Inbox, `DELETE FROM inbox WHERE id IN (SELECT id FROM inbox
			WHERE state IN ('done','failed') AND processed_at < ? LIMIT ` + fmt.Sprint(pruneBatch) + `)`, inboxBefore},
		{&p.Outbox, `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
			WHERE state='sent' AND sent_at < ? LIMIT ` + fmt.Sprint(pruneBatch) + `)`, outboxBefore},
	} {
		for {
			var n int64
			err := db.Write(ctx, func(tx *Tx) error {
				res, err := tx.Exec(ctx, step.query, step.arg)
				if err != nil {
					return err
				}
				n, _ = res.RowsAffected()
				return nil
			})
			if err != nil {
				return p, fmt.Errorf("prune: %w", err)
			}
			*step.n += n
			if n < pruneBatch {
				break
			}
		}
	}
	return p, nil
}
