package storage

import (
	"context"
	"testing"
	"time"
)

func TestASlackHoldIsOnlyExtended(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if at, err := SlackHold(ctx, db.Reader(), "C1"); err != nil || !at.IsZero() {
		t.Fatalf("an unheld channel: %v %v", at, err)
	}
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for _, until := range []time.Time{t0.Add(30 * time.Second), t0.Add(10 * time.Second)} {
		if err := db.Write(ctx, func(tx *Tx) error { return tx.HoldSlack(ctx, "C1", until) }); err != nil {
			t.Fatal(err)
		}
	}
	if at, _ := SlackHold(ctx, db.Reader(), "C1"); !at.Equal(t0.Add(30 * time.Second)) {
		t.Errorf("hold until %v; want the later one, %v", at, t0.Add(30*time.Second))
	}
	if at, _ := SlackHold(ctx, db.Reader(), "C2"); !at.IsZero() {
		t.Errorf("another channel is held until %v", at)
	}
}
