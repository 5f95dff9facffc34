package storage

import (
	"context"
	"testing"
)

// write runs fn in one write transaction and fails the test on error.
func write(t testing.TB, db *DB, fn func(ctx context.Context, tx *Tx) error) {
	t.Helper()
	ctx := context.Background()
	must(t, db.Write(ctx, func(tx *Tx) error { return fn(ctx, tx) }))
}

// newCase makes an identity for slackUser and a case for it in state.
func newCase(t testing.TB, db *DB, slackUser, state string) Case {
	t.Helper()
	var c Case
	write(t, db, func(ctx context.Context, tx *Tx) error {
		id, err := tx.IdentityBySlack(ctx, slackUser, "Dana "+slackUser, slackUser+"@example.com")
		if err != nil {
			return err
		}
		c = Case{IdentityID: id.ID, Requester: "U0MGR", Reason: "contract ended", Trigger: TriggerManual, State: state,
			EffectiveAt: tx.Now(), Channel: "C0APPROVALS"}
		return tx.InsertCase(ctx, &c)
	})
	return c
}
