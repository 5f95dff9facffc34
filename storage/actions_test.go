package storage

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func newAction(t testing.TB, db *DB, caseID int64, pos int, state string) Action {
	t.Helper()
	a := Action{CaseID: caseID, Position: pos, System: "github", Account: "dana-gh", Kind: "org_member",
		Grant: []byte(`{"org":"acme"}`), State: state, ApprovalsRequired: 2, MaxAttempts: 5, Policy: "default"}
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.InsertAction(ctx, &a) })
	return a
}

func TestActionsChangeStateByCompareAndSwapWithTheirFields(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	now := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return now })
	c := newCase(t, db, "U1", CaseOpen)
	a := newAction(t, db, c.ID, 1, ActionAwaitingApproval)
	b := newAction(t, db, c.ID, 0, ActionPlanned)

	list, err := ListActions(ctx, db.Reader(), c.ID)
	if err != nil || len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
		t.Fatalf("checklist order = %+v, %v; want by position", list, err)
	}
	if !list[1].AwaitingSince.Equal(now) || string(list[1].Grant) != `{"org":"acme"}` || list[1].ApprovalsRequired != 2 {
		t.Errorf("awaiting action = %+v", list[1])
	}

	change := func(id int64, c ActionChange) bool {
		var ok bool
		write(t, db, func(ctx context.Context, tx *Tx) (err error) { ok, err = tx.ChangeAction(ctx, id, c); return err })
		return ok
	}
	until := now.Add(48 * time.Hour)
	by, reason := "U0SEC", "waiting for legal"
	if !change(a.ID, ActionChange{From: []string{ActionAwaitingApproval}, To: ActionHeld, HeldBy: &by, HeldReason: &reason, HeldUntil: &until}) {
		t.Fatal("hold failed")
	}
	if change(a.ID, ActionChange{From: []string{ActionAwaitingApproval}, To: ActionApproved}) {
		t.Error("an approval of a held action won the compare-and-swap")
	}
	got, _ := LoadAction(ctx, db.Reader(), a.ID)
	if got.State != ActionHeld || got.HeldBy != by || got.HeldReason != reason || !got.HeldUntil.Equal(until) {
		t.Errorf("held action = %+v", got)
	}
	attempts, outcome, lastErr, took, note := 1, "removed from org", "", 1500*time.Millisecond, "done by hand"
	if !change(a.ID, ActionChange{From: []string{ActionHeld}, To: ActionDone, Attempts: &attempts, Outcome: &outcome,
		LastError: &lastErr, Took: &took, DoneBy: &by, DoneNote: &note}) {
		t.Fatal("done failed")
	}
	got, _ = LoadAction(ctx, db.Reader(), a.ID)
	if !got.Finished() || got.Attempts != 1 || got.Outcome != outcome || got.Took != took || got.DoneNote != note || !got.FinishedAt.Equal(now) {
		t.Errorf("done action = %+v", got)
	}
	// No From: an unconditional change (a cancel sweeps whatever state).
	reminded := now.Add(time.Hour)
	if !change(b.ID, ActionChange{To: ActionAwaitingApproval, Reminded: &reminded}) {
		t.Error("unconditional change failed")
	}
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.MarkReminded(ctx, b.ID) })
	got, _ = LoadAction(ctx, db.Reader(), b.ID)
	if !got.RemindedAt.Equal(now) || got.State != ActionAwaitingApproval {
		t.Errorf("reminded action = %+v", got)
	}
	waiting, _ := ActionsInState(ctx, db.Reader(), ActionAwaitingApproval, 10)
	if len(waiting) != 1 || waiting[0].ID != b.ID {
		t.Errorf("awaiting approval = %+v", waiting)
	}
	counts, err := CountActions(ctx, db.Reader())
	if err != nil || len(counts) != 2 {
		t.Errorf("counts = %+v, %v; want one done and one awaiting", counts, err)
	}
	if _, err := LoadAction(ctx, db.Reader(), 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown action: %v", err)
	}
}

func TestTwoApprovalsAreTwoPeopleAndAClickWinsOnce(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	c := newCase(t, db, "U1", CaseOpen)
	a := newAction(t, db, c.ID, 0, ActionAwaitingApproval)
	add := func(who string) bool {
		var ok bool
		write(t, db, func(ctx context.Context, tx *Tx) (err error) { ok, err = tx.AddApproval(ctx, a.ID, who); return err })
		return ok
	}
	if !add("U0SEC") || add("U0SEC") || !add("U0OPS") {
		t.Error("want the first approval by each person recorded, and a second by the same person refused")
	}
	var n int
	write(t, db, func(ctx context.Context, tx *Tx) (err error) { n, err = tx.CountApprovals(ctx, a.ID); return err })
	got, _ := LoadAction(ctx, db.Reader(), a.ID)
	if n != 2 || len(got.Approvers) != 2 {
		t.Errorf("approvals = %d, approvers %v; want 2", n, got.Approvers)
	}
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.ClearApprovals(ctx, a.ID) })
	write(t, db, func(ctx context.Context, tx *Tx) (err error) { n, err = tx.CountApprovals(ctx, a.ID); return err })
	if n != 0 {
		t.Errorf("after clearing, %d approvals", n)
	}

	// Ten simultaneous approvals of one action: one moves it.
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db.Write(ctx, func(tx *Tx) error {
				ok, err := tx.ChangeAction(ctx, a.ID, ActionChange{From: []string{ActionAwaitingApproval}, To: ActionApproved})
				if ok {
					wins.Add(1)
				}
				return err
			})
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d clicks moved the action; want 1", wins.Load())
	}
}
