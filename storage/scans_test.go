package storage

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestAScanReportIsRecordedAndEachRowActedOnOnce(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	now := time.Date(2024, 7, 1, 3, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return now })
	var scan int64
	write(t, db, func(ctx context.Context, tx *Tx) (err error) {
		scan, err = tx.StartScan(ctx, "nightly", "")
		return err
	})
	c := newCase(t, db, "U1", CaseCompleted)
	last := now.Add(-100 * 24 * time.Hour)
	linked := &Finding{ScanID: scan, System: "github", Account: "dev-gh", IdentityID: c.IdentityID, LastActivity: last, Why: "no contributions in 90 days"}
	unlinked := &Finding{ScanID: scan, System: "aws", Scope: "123456789012", Account: "ci-bot", Why: "never used"}
	write(t, db, func(ctx context.Context, tx *Tx) error {
		if err := tx.InsertFinding(ctx, linked); err != nil {
			return err
		}
		if err := tx.InsertFinding(ctx, unlinked); err != nil {
			return err
		}
		return tx.FinishScan(ctx, scan, "done", "2 dormant")
	})
	rows, err := ListFindings(ctx, db.Reader(), scan)
	if err != nil || len(rows) != 2 {
		t.Fatalf("findings = %+v, %v", rows, err)
	}
	if rows[0].IdentityID != c.IdentityID || !rows[0].LastActivity.Equal(last) || rows[0].State != "reported" {
		t.Errorf("linked finding = %+v", rows[0])
	}
	if rows[1].IdentityID != 0 || !rows[1].LastActivity.IsZero() || rows[1].Scope != "123456789012" {
		t.Errorf("unlinked finding = %+v", rows[1])
	}
	set := func(id int64, to string) bool {
		var ok bool
		write(t, db, func(ctx context.Context, tx *Tx) (err error) { ok, err = tx.SetFindingState(ctx, id, to); return err })
		return ok
	}
	if !set(linked.ID, "started") || set(linked.ID, "snoozed") {
		t.Error("want the first click on a row to win and the second refused")
	}
	if f, _ := LoadFinding(ctx, db.Reader(), linked.ID); f.State != "started" {
		t.Errorf("row after start = %+v", f)
	}
	if _, err := LoadFinding(ctx, db.Reader(), 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown finding: %v", err)
	}
	var state, result string
	db.Reader().QueryRowContext(ctx, `SELECT state, result FROM scan_runs WHERE id=?`, scan).Scan(&state, &result)
	if state != "done" || result != "2 dormant" {
		t.Errorf("scan run = %s %q", state, result)
	}
}

func TestASnoozeLastsUntilItsEnd(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	now := time.Date(2024, 7, 1, 3, 0, 0, 0, time.UTC)
	write(t, db, func(ctx context.Context, tx *Tx) error {
		return tx.Snooze(ctx, "aws", "123456789012", "ci-bot", "U0SEC", now.Add(30*24*time.Hour))
	})
	write(t, db, func(ctx context.Context, tx *Tx) error { // snoozed again: the later end wins
		return tx.Snooze(ctx, "aws", "123456789012", "ci-bot", "U0OPS", now.Add(60*24*time.Hour))
	})
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{{now, true}, {now.Add(45 * 24 * time.Hour), true}, {now.Add(61 * 24 * time.Hour), false}} {
		got, err := Snoozed(ctx, db.Reader(), tc.at)
		if err != nil || got["aws/123456789012/ci-bot"] != tc.want {
			t.Errorf("snoozed at %v = %v, %v; want %v", tc.at, got, err, tc.want)
		}
	}
}
