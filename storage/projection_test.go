package storage

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
)

func TestAProjectionReadsEventsInOrderAndItsCursorMovesOnce(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var woken atomic.Int32
	db.OnAudit(func() { woken.Add(1) })
	appendEvents(t, db, 7) // one transaction
	if woken.Load() != 1 {
		t.Errorf("woken %d times by one committed transaction of events; want 1", woken.Load())
	}
	evs, err := EventsAfter(ctx, db.Reader(), 2, 3)
	if err != nil || len(evs) != 3 || evs[0].Seq != 3 || evs[2].Seq != 5 {
		t.Fatalf("events after 2 = %+v, %v; want 3, 4, 5", evs, err)
	}
	if evs[0].At.IsZero() || evs[0].Hash == "" || evs[1].PrevHash != evs[0].Hash || len(evs[0].Details) == 0 {
		t.Errorf("event read back incomplete: %+v", evs[0])
	}
	if c, err := Cursor(ctx, db.Reader(), "slack"); c != 0 || err != nil {
		t.Errorf("cursor of a new projection = %d, %v; want 0", c, err)
	}
	move := func(from, to int64) bool {
		var ok bool
		write(t, db, func(ctx context.Context, tx *Tx) (err error) {
			ok, err = tx.AdvanceCursor(ctx, "slack", from, to)
			return err
		})
		return ok
	}
	if !move(0, 5) || move(0, 7) || !move(5, 7) {
		t.Error("want the cursor to move from where it stands only (compare-and-swap)")
	}
	if c, _ := Cursor(ctx, db.Reader(), "slack"); c != 7 {
		t.Errorf("cursor = %d; want 7", c)
	}
	if evs, _ := EventsAfter(ctx, db.Reader(), 7, 10); len(evs) != 0 {
		t.Errorf("events after the head = %v", evs)
	}
}

func TestSlackAccountsOfAPersonIncludeLinkedAliases(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var dana, loose Identity
	write(t, db, func(ctx context.Context, tx *Tx) (err error) {
		if dana, err = tx.IdentityBySlack(ctx, "U1", "Dana", ""); err != nil {
			return err
		}
		if loose, err = tx.NewIdentity(ctx, "dana-alt", ""); err != nil {
			return err
		}
		_, err = tx.Link(ctx, AccountLink{IdentityID: dana.ID, System: "slack", Account: "U9ALIAS", LinkedBy: "manual", LinkedActor: "U0SEC"})
		return err
	})
	got, err := SlackAccountsOf(ctx, db.Reader(), dana.ID)
	slices.Sort(got)
	if err != nil || len(got) != 2 || got[0] != "U1" || got[1] != "U9ALIAS" {
		t.Errorf("Slack accounts of Dana = %v, %v; want U1 and the alias U9ALIAS", got, err)
	}
	if got, _ := SlackAccountsOf(ctx, db.Reader(), loose.ID); len(got) != 0 {
		t.Errorf("Slack accounts of someone without any = %v", got)
	}
}
