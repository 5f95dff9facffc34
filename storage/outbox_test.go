package storage

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestOnlyOneSenderWinsAnAttempt(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	m := &OutMsg{Stream: "case:1", Op: OpPost, Channel: "C1", MsgKey: "case:1:parent", Payload: []byte(`{"text":"hi"}`)}
	must(t, db.Write(ctx, func(tx *Tx) error { return tx.Enqueue(ctx, m) }))
	heads, err := OutboxHeads(ctx, db.Reader(), time.Now(), 10)
	if err != nil || len(heads) != 1 {
		t.Fatalf("heads = %v, %v", heads, err)
	}
	// Sixteen senders that all read the same row race to claim it.
	var wins atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			var won bool
			if err := db.Write(ctx, func(tx *Tx) error {
				var err error
				won, err = tx.StartAttempt(ctx, heads[0])
				return err
			}); err != nil {
				t.Error(err)
			}
			if won {
				wins.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d senders won the same attempt; want exactly 1", wins.Load())
	}
	after, _ := OutboxHeads(ctx, db.Reader(), time.Now(), 10)
	if len(after) != 1 || after[0].Attempts != 1 {
		t.Fatalf("after the race = %+v; want one message with 1 attempt", after)
	}
	// The next attempt is claimed from the fresh read; a sent message from none.
	var won bool
	must(t, db.Write(ctx, func(tx *Tx) error { var err error; won, err = tx.StartAttempt(ctx, after[0]); return err }))
	must(t, db.Write(ctx, func(tx *Tx) error { return tx.MarkSent(ctx, after[0], "C1", "1700000000.000100") }))
	if !won {
		t.Error("the second attempt, from a fresh read, was refused")
	}
	after[0].Attempts = 2
	must(t, db.Write(ctx, func(tx *Tx) error { var err error; won, err = tx.StartAttempt(ctx, after[0]); return err }))
	if won {
		t.Error("an attempt at a sent message was claimed")
	}
	ref, err := LoadMessage(ctx, db.Reader(), "case:1:parent")
	if err != nil || ref != (MessageRef{Channel: "C1", TS: "1700000000.000100"}) {
		t.Errorf("recorded message = %+v, %v", ref, err)
	}
	if _, err := LoadMessage(ctx, db.Reader(), "nothing"); err != ErrNotFound {
		t.Errorf("LoadMessage of an unknown key: %v; want ErrNotFound", err)
	}
}

func TestOutboxRetryGiveUpAndSuperseded(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	enq := func(m *OutMsg) {
		must(t, db.Write(ctx, func(tx *Tx) error { return tx.Enqueue(ctx, m) }))
	}
	upd1 := &OutMsg{Stream: "case:1", Op: OpUpdate, Channel: "C1", MsgKey: "k", Payload: []byte(`{}`)}
	upd2 := &OutMsg{Stream: "case:1", Op: OpUpdate, Channel: "C1", MsgKey: "k", Payload: []byte(`{}`)}
	home1 := &OutMsg{Stream: "home:U1", Op: OpHome, Payload: []byte(`{}`)}
	home2 := &OutMsg{Stream: "home:U1", Op: OpHome, Payload: []byte(`{}`)}
	eph := &OutMsg{Stream: "eph", Op: OpEphemeral, Channel: "C1", Payload: []byte(`{}`)}
	for _, m := range []*OutMsg{upd1, upd2, home1, home2, eph} {
		enq(m)
	}
	for _, tc := range []struct {
		m    *OutMsg
		want bool
	}{{upd1, true}, {upd2, false}, {home1, true}, {home2, false}, {eph, false}} {
		got, err := Superseded(ctx, db.Reader(), *tc.m)
		if err != nil || got != tc.want {
			t.Errorf("Superseded(%s #%d) = %v, %v; want %v", tc.m.Op, tc.m.ID, got, err, tc.want)
		}
	}
	if n, _ := OutboxDepth(ctx, db.Reader()); n != 5 {
		t.Errorf("outbox depth = %d; want 5", n)
	}
	later := time.Now().Add(time.Hour)
	must(t, db.Write(ctx, func(tx *Tx) error { return tx.RetryLater(ctx, eph.ID, later, "rate limited") }))
	must(t, db.Write(ctx, func(tx *Tx) error { return tx.GiveUp(ctx, upd1.ID, "invalid_blocks") }))
	heads, err := OutboxHeads(ctx, db.Reader(), time.Now(), 10)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[int64]bool{}
	for _, h := range heads {
		ids[h.ID] = true
	}
	// The given-up update no longer blocks its stream; the one put off is not due.
	if !ids[upd2.ID] || !ids[home1.ID] || ids[eph.ID] || ids[upd1.ID] || len(heads) != 2 {
		t.Errorf("heads = %v; want the second update and the first home", ids)
	}
	if heads, _ := OutboxHeads(ctx, db.Reader(), later, 10); len(heads) != 3 {
		t.Errorf("an hour later %d heads; want 3 (the put-off message is due)", len(heads))
	}
	var state, errText string
	db.Reader().QueryRowContext(ctx, `SELECT state, error FROM outbox WHERE id=?`, upd1.ID).Scan(&state, &errText)
	if state != "dead" || errText != "invalid_blocks" {
		t.Errorf("given-up message: %s %q", state, errText)
	}
}

func TestHomeViewersAreRecordedAndListed(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	since := time.Now().Add(-time.Minute)
	for _, v := range []HomeViewer{{User: "U1", Requester: true}, {User: "U2", Approver: true}, {User: "U1", Approver: true}} {
		must(t, db.Write(ctx, func(tx *Tx) error { return tx.SawHome(ctx, v) }))
	}
	vs, err := HomeViewers(ctx, db.Reader(), since, 10)
	if err != nil || len(vs) != 2 {
		t.Fatalf("viewers = %v, %v", vs, err)
	}
	for _, v := range vs {
		if !v.Approver || v.Requester {
			t.Errorf("%s recorded as %+v; the latest visit said approver only", v.User, v)
		}
	}
	if vs, _ := HomeViewers(ctx, db.Reader(), time.Now().Add(time.Hour), 10); len(vs) != 0 {
		t.Errorf("viewers since the future = %v", vs)
	}
}
