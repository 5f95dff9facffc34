package storage

import (
	"context"
	"sync"
	"testing"
	"time"
)

// A second claim of a job, even by the same owner after the lease expired,
// fences the first: the first can neither renew nor be taken for the holder.
func TestASecondClaimFencesTheFirstEvenForTheSameOwner(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var mu sync.Mutex
	now := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	var id int64
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.Write(ctx, func(tx *Tx) error {
		ident, err := tx.NewIdentity(ctx, "dev", "")
		if err != nil {
			return err
		}
		c := Case{IdentityID: ident.ID, Requester: "U0MGR", Trigger: TriggerManual, State: CaseOpen, EffectiveAt: db.Now()}
		if err := tx.InsertCase(ctx, &c); err != nil {
			return err
		}
		a := Action{CaseID: c.ID, System: "github", Kind: "membership", Grant: []byte(`{}`), State: ActionApproved, MaxAttempts: 5}
		if err := tx.InsertAction(ctx, &a); err != nil {
			return err
		}
		id = a.ID
		return tx.EnqueueJob(ctx, id, db.Now())
	}))
	claim := func() Claim {
		t.Helper()
		var c Claim
		var ok bool
		must(db.Write(ctx, func(tx *Tx) error {
			var err error
			c, ok, err = tx.ClaimJob(ctx, "w", []string{"github"}, db.Now().Add(30*time.Second))
			return err
		}))
		if !ok {
			t.Fatal("nothing to claim")
		}
		return c
	}
	holds := func(c Claim) (renewed, held bool) {
		t.Helper()
		must(db.Write(ctx, func(tx *Tx) error {
			var err error
			if held, err = tx.HoldsLease(ctx, c); err != nil {
				return err
			}
			renewed, err = tx.RenewLease(ctx, c, db.Now().Add(30*time.Second))
			return err
		}))
		return renewed, held
	}
	first := claim()
	if r, h := holds(first); !r || !h {
		t.Fatalf("the first claim does not hold its own lease (renewed %v, held %v)", r, h)
	}
	must(db.Write(ctx, func(tx *Tx) error {
		_, ok, err := tx.ClaimJob(ctx, "w", []string{"github"}, db.Now().Add(30*time.Second))
		if ok {
			t.Error("a leased job was claimed again before its lease expired")
		}
		return err
	}))
	advance(31 * time.Second)
	if r, _ := holds(first); r {
		t.Error("an expired lease was renewed")
	}
	second := claim()
	if second.Token == first.Token {
		t.Fatalf("both claims have token %d", first.Token)
	}
	if r, h := holds(first); r || h {
		t.Errorf("the first claim still holds (renewed %v, held %v) after the job was claimed again", r, h)
	}
	if r, h := holds(second); !r || !h {
		t.Errorf("the second claim does not hold (renewed %v, held %v)", r, h)
	}
}
