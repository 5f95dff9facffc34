package storage

import (
	"context"
	"testing"
	"time"
)

func TestARedeliveredEnvelopeIsStoredOnce(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	first := []*Envelope{
		{EnvelopeID: "env-1", DedupKey: "trigger-1", Type: "slash_commands", Payload: []byte(`{"text":"a"}`)},
		{EnvelopeID: "env-2", Type: "interactive", Payload: []byte(`{}`)},
	}
	fresh, err := db.InsertEnvelopes(ctx, first)
	if err != nil || !fresh[0] || !fresh[1] {
		t.Fatalf("first delivery: %v, %v", fresh, err)
	}
	// Slack redelivers the same envelope, and the same trigger under a
	// new envelope ID (another socket).
	again := []*Envelope{
		{EnvelopeID: "env-1", DedupKey: "trigger-1", Type: "slash_commands", Payload: []byte(`{"text":"a"}`)},
		{EnvelopeID: "env-9", DedupKey: "trigger-1", Type: "slash_commands", Payload: []byte(`{"text":"a"}`)},
		{EnvelopeID: "env-3", Type: "interactive", Payload: []byte(`{}`)},
	}
	fresh, err = db.InsertEnvelopes(ctx, again)
	if err != nil || fresh[0] || fresh[1] || !fresh[2] {
		t.Errorf("redelivery: fresh = %v, %v; want only env-3 new", fresh, err)
	}
	if n, _ := InboxDepth(ctx, db.Reader()); n != 3 {
		t.Errorf("inbox depth = %d; want 3", n)
	}
}

func TestAnEnvelopeIsLeasedToOneHandlerAndReturnsWhenReleasedOrExpired(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	envs := []*Envelope{{EnvelopeID: "e1", DedupKey: "d1", Type: "slash_commands", Payload: []byte(`{"text":"x"}`)}}
	if _, err := db.InsertEnvelopes(ctx, envs); err != nil {
		t.Fatal(err)
	}
	id := envs[0].ID
	now := time.Now()
	claim := func(at time.Time) (Envelope, bool) {
		var e Envelope
		var ok bool
		write(t, db, func(ctx context.Context, tx *Tx) (err error) {
			e, ok, err = tx.ClaimEnvelope(ctx, id, at, at.Add(time.Minute))
			return err
		})
		return e, ok
	}
	e, ok := claim(now)
	if !ok || e.EnvelopeID != "e1" || e.DedupKey != "d1" || e.Attempts != 1 || string(e.Payload) != `{"text":"x"}` {
		t.Fatalf("claim = %+v, %v", e, ok)
	}
	if _, ok := claim(now.Add(time.Second)); ok {
		t.Error("a leased envelope was claimed again")
	}
	if ids, _ := PendingEnvelopes(ctx, db.Reader(), now.Add(time.Second), 10); len(ids) != 0 {
		t.Errorf("pending while leased = %v", ids)
	}
	// Renewed, it stays leased past the first lease's end.
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.RenewEnvelope(ctx, id, now.Add(5*time.Minute)) })
	if _, ok := claim(now.Add(2 * time.Minute)); ok {
		t.Error("a renewed lease was taken")
	}
	// Released (a handler that stops), it is pending at once.
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.ReleaseEnvelope(ctx, id) })
	if ids, _ := PendingEnvelopes(ctx, db.Reader(), now, 10); len(ids) != 1 || ids[0] != id {
		t.Errorf("pending after release = %v; want [%d]", ids, id)
	}
	e, ok = claim(now)
	if !ok || e.Attempts != 2 {
		t.Errorf("claim after release = %+v, %v; want attempt 2", e, ok)
	}
	// A crash: the lease expires and the envelope is pending again.
	if ids, _ := PendingEnvelopes(ctx, db.Reader(), now.Add(2*time.Minute), 10); len(ids) != 1 {
		t.Errorf("pending after the lease expired = %v", ids)
	}
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.FinishEnvelope(ctx, id, "") })
	if _, ok := claim(now.Add(time.Hour)); ok {
		t.Error("a finished envelope was claimed")
	}
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.ReleaseEnvelope(ctx, id) })
	if n, _ := InboxDepth(ctx, db.Reader()); n != 0 {
		t.Errorf("depth after finishing = %d; a release must not revive a finished envelope", n)
	}
}
