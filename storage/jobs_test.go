package storage

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestAJobIsClaimedByOneWorkerAndALostLeaseCannotBeRenewed(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	now := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	db.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	c := newCase(t, db, "U1", CaseOpen)
	a := newAction(t, db, c.ID, 0, ActionApproved)
	later := newAction(t, db, c.ID, 1, ActionApproved)
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.EnqueueJob(ctx, a.ID, now) })
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.EnqueueJob(ctx, later.ID, now.Add(time.Hour)) })
	if n, _ := QueueDepth(ctx, db.Reader()); n != 2 {
		t.Errorf("queue depth = %d", n)
	}
	if at, _ := NextJobAt(ctx, db.Reader()); !at.Equal(now) {
		t.Errorf("next job at %v; want now", at)
	}

	// Eight workers race for the one ready job.
	var winners atomic.Int32
	var winner atomic.Value
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(owner string) {
			defer wg.Done()
			db.Write(ctx, func(tx *Tx) error {
				c, ok, err := tx.ClaimJob(ctx, owner, []string{"github"}, now.Add(time.Minute))
				if ok && c.ActionID == a.ID {
					winners.Add(1)
					winner.Store(c)
				}
				return err
			})
		}(string(rune('A' + i)))
	}
	wg.Wait()
	if winners.Load() != 1 {
		t.Fatalf("%d workers claimed the job; want 1", winners.Load())
	}
	owner := winner.Load().(Claim)
	claim := func(who string, systems ...string) (Claim, bool) {
		var c Claim
		var ok bool
		write(t, db, func(ctx context.Context, tx *Tx) (err error) {
			c, ok, err = tx.ClaimJob(ctx, who, systems, tx.Now().Add(time.Minute))
			return err
		})
		return c, ok
	}
	if _, ok := claim("other", "aws"); ok {
		t.Error("a worker for another system claimed a github job")
	}
	if _, ok := claim("other"); ok {
		t.Error("a worker for no system claimed a job")
	}
	renew := func(c Claim) bool {
		var ok bool
		write(t, db, func(ctx context.Context, tx *Tx) (err error) {
			ok, err = tx.RenewLease(ctx, c, tx.Now().Add(time.Minute))
			return err
		})
		return ok
	}
	holds := func(c Claim) bool {
		var ok bool
		write(t, db, func(ctx context.Context, tx *Tx) (err error) { ok, err = tx.HoldsLease(ctx, c); return err })
		return ok
	}
	intruder := Claim{ActionID: a.ID, Owner: "intruder", Token: owner.Token}
	if !renew(owner) || renew(intruder) || !holds(owner) || holds(intruder) {
		t.Error("want the owner alone to renew and hold the lease")
	}
	// The owner stalls past its lease; another worker takes the job over.
	advance(2 * time.Minute)
	if holds(owner) {
		t.Error("an expired lease is still held")
	}
	if c, ok := claim("B2", "github"); !ok || c.ActionID != a.ID || c.Token == owner.Token {
		t.Fatalf("takeover of the expired job = %+v, %v; want a new claim of it", c, ok)
	}
	if renew(owner) || holds(owner) {
		t.Error("the stalled owner renewed a lease that was taken over; its outcome would overwrite the new owner's")
	}
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.RemoveJob(ctx, a.ID) })
	if at, _ := NextJobAt(ctx, db.Reader()); !at.Equal(now.Add(time.Hour - 2*time.Minute)) {
		t.Errorf("next job at %v; want the later one", at)
	}
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.RemoveJob(ctx, later.ID) })
	if at, err := NextJobAt(ctx, db.Reader()); !at.IsZero() || err != nil {
		t.Errorf("next job of an empty queue = %v, %v; want zero", at, err)
	}
}

func TestANamedLeaseHasOneOwnerUntilItExpiresOrIsReleased(t *testing.T) {
	db := openTemp(t)
	lease := func(owner string, until time.Time) bool {
		var ok bool
		write(t, db, func(ctx context.Context, tx *Tx) (err error) {
			ok, err = tx.Lease(ctx, "scan", owner, until)
			return err
		})
		return ok
	}
	soon := time.Now().Add(time.Minute)
	if !lease("A", soon) || lease("B", soon) || !lease("A", soon.Add(time.Minute)) {
		t.Error("want A to take and renew the lease and B refused")
	}
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.ReleaseLease(ctx, "scan", "B") })
	if lease("B", soon) {
		t.Error("B released a lease it did not hold")
	}
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.ReleaseLease(ctx, "scan", "A") })
	if !lease("B", soon) {
		t.Error("B could not take the released lease")
	}
	if lease("C", soon) {
		t.Error("C took B's unexpired lease")
	}
}

func TestAnExpiredNamedLeaseIsTakenOver(t *testing.T) {
	db := openTemp(t)
	write(t, db, func(ctx context.Context, tx *Tx) error {
		_, err := tx.Lease(ctx, "scan", "dead", time.Now().Add(-time.Second))
		return err
	})
	var ok bool
	write(t, db, func(ctx context.Context, tx *Tx) (err error) {
		ok, err = tx.Lease(ctx, "scan", "alive", time.Now().Add(time.Minute))
		return err
	})
	if !ok {
		t.Error("an expired lease was not taken over")
	}
}
