package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/offboard/offboard/bot/socket"
	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/storage"
)

// ackedUnstored checks, as each ack frame reaches the fake, that the
// envelope, or the delivery it repeats, is already in the inbox; it returns
// the ones that were not.
func ackedUnstored(w *world) func() []string {
	var mu sync.Mutex
	var bad []string
	w.slack.OnAckFrame(func(id string) {
		dedup := "-"
		for _, e := range w.slack.Envelopes() {
			var p struct {
				TriggerID string `json:"trigger_id"`
				EventID   string `json:"event_id"`
			}
			if e.ID == id && json.Unmarshal(e.Payload, &p) == nil {
				switch {
				case p.EventID != "":
					dedup = "event:" + p.EventID
				case p.TriggerID != "":
					dedup = "trigger:" + p.TriggerID
				}
			}
		}
		var n int
		w.db.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM inbox WHERE envelope_id=? OR dedup_key=?`, id, dedup).Scan(&n)
		if n == 0 {
			mu.Lock()
			bad = append(bad, id)
			mu.Unlock()
		}
	})
	return func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), bad...) }
}

func envelopeOf(t *testing.T, fs *fakeslack.Server, id string) fakeslack.Envelope {
	t.Helper()
	for _, e := range fs.Envelopes() {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no envelope %s", id)
	return fakeslack.Envelope{}
}

func TestARedeliveryOnAnotherSocketIsProcessedOnce(t *testing.T) {
	w := newWorld(t, worldOptions{sockets: 2})
	w.waitFor("two sockets", 10*time.Second, func() bool { return w.slack.Sockets() == 2 })
	unstored := ackedUnstored(w)
	id, err := w.slack.Slash(manager, channel, w.slack.EscapeTyped("@dana contract ended"))
	must(t, err)
	_, err = w.slack.WaitAck(id, 10*time.Second)
	must(t, err)
	first := envelopeOf(t, w.slack, id).Socket
	other := 0
	for _, s := range w.slack.SocketIDs() {
		if s != first {
			other = s
		}
	}
	rid, err := w.slack.Redeliver(id, other)
	must(t, err)
	if _, err := w.slack.WaitAck(rid, 10*time.Second); err != nil {
		t.Fatalf("the redelivery was not acked: %v", err)
	}
	w.settle()
	if got := envelopeOf(t, w.slack, rid); got.Socket == first || got.RetryAttempt != 1 {
		t.Fatalf("redelivery = %+v, want retry 1 on another socket than %d", got, first)
	}
	if n := len(w.cases()); n != 1 {
		t.Errorf("%d cases, want 1: the redelivered command was processed again", n)
	}
	var rows int
	w.db.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM inbox WHERE envelope_id IN (?,?)`, id, rid).Scan(&rows)
	if rows != 1 {
		t.Errorf("%d inbox rows for the command and its redelivery, want 1", rows)
	}
	if bad := unstored(); len(bad) != 0 {
		t.Errorf("acked before stored: %v", bad)
	}
}

func TestASocketDroppedMidFloodLosesNothingAcked(t *testing.T) {
	w := newWorld(t, worldOptions{socket: socket.Options{BackoffMin: 10 * time.Millisecond}})
	unstored := ackedUnstored(w)
	const n = 600
	before := w.slack.Counts().Acked
	w.slack.PauseDelivery()
	ids := make([]string, 0, n)
	for i := 0; i < n; i++ {
		id, err := w.slack.Slash(manager, channel, "status")
		must(t, err)
		ids = append(ids, id)
	}
	resumed := make(chan struct{})
	go func() { defer close(resumed); w.slack.ResumeDelivery() }()
	w.waitFor("the first acks", 10*time.Second, func() bool { return w.slack.Counts().Acked > before })
	w.slack.DropSockets()
	<-resumed
	w.waitFor("the bot to reconnect", 10*time.Second, func() bool { return w.bot.Connected() && w.slack.Sockets() == 1 })
	w.settle()

	var acked int
	for _, id := range ids {
		if _, ok := w.slack.AckOf(id); ok {
			acked++
		}
	}
	if acked == 0 || acked == n {
		t.Fatalf("%d of %d acked: the socket was not dropped mid-flood", acked, n)
	}
	if bad := unstored(); len(bad) != 0 {
		t.Errorf("%d envelopes acked before they were stored: %v", len(bad), bad)
	}
	var stored, done int
	w.db.Reader().QueryRowContext(context.Background(), `SELECT count(*), count(*) FILTER (WHERE state='done') FROM inbox WHERE type='slash_commands' AND payload LIKE '%"text":"status"%'`).Scan(&stored, &done)
	if stored < acked || done != stored {
		t.Errorf("%d acked, %d stored, %d processed: every acked envelope must be stored and processed", acked, stored, done)
	}
	for _, a := range w.slack.Acks() {
		if a.Error != "" || a.Duplicate {
			t.Errorf("ack %+v: the bot acked something Slack did not expect", a)
		}
	}
	t.Logf("%d of %d acked, %d stored", acked, n, stored)
}

func TestInvalidAuthStopsTheBotWithAnError(t *testing.T) {
	w := newWorld(t, worldOptions{noRun: true})
	w.slack.RefuseConnections(fakeslack.Fault{Error: "invalid_auth"})
	done := make(chan error, 1)
	go func() { done <- w.bot.Run(w.ctx) }()
	select {
	case err := <-done:
		if !errors.Is(err, socket.ErrInvalidAuth) {
			t.Errorf("Run = %v, want ErrInvalidAuth", err)
		}
		if strings.Contains(err.Error(), w.slack.AppToken()) {
			t.Errorf("the error names the token: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the bot kept running with a refused app token")
	}
}

func TestEnvelopesAreStoredWithoutTheirTokenAndAnUnreadableFrameIsKept(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.slash(manager, "/offboard status")
	must(t, w.slack.SendRaw(w.slack.SocketIDs()[0], []byte(`{"envelope_id":"e-broken","type":"interactive","payload":{"token":"fake-verification","type":`)))
	w.waitFor("the unreadable frame to be recorded as failed", 10*time.Second, func() bool {
		var n int
		w.db.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM inbox WHERE type='unreadable' AND state='failed'`).Scan(&n)
		return n == 1
	})
	var leaked int
	w.db.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM inbox WHERE instr(payload, 'fake-verification') > 0`).Scan(&leaked)
	if leaked != 0 {
		t.Errorf("%d inbox rows hold the verification token", leaked)
	}
	w.slash(manager, "/offboard status") // the socket carries on
}

func TestShortLivedSocketsLeaveNoGapAndLoseNothing(t *testing.T) {
	w := newWorld(t, worldOptions{
		slack:  fakeslack.Options{DebugConnectionTime: 300 * time.Millisecond, DisconnectGrace: 200 * time.Millisecond},
		socket: socket.Options{DebugReconnects: true},
	})
	unstored := ackedUnstored(w)
	var ids []string
	deadline := time.Now().Add(1500 * time.Millisecond)
	for time.Now().Before(deadline) {
		id, err := w.slack.Slash(manager, channel, "status")
		if err != nil {
			t.Fatalf("a command found no socket open: %v", err)
		}
		ids = append(ids, id)
		time.Sleep(20 * time.Millisecond)
	}
	if n := len(w.slack.CallsTo("apps.connections.open")); n < 4 {
		t.Fatalf("apps.connections.open called %d times; the sockets were not short-lived", n)
	}
	for _, id := range ids {
		if a, err := w.slack.WaitAck(id, 10*time.Second); err != nil || a.Late {
			t.Errorf("envelope %s: ack %+v, %v", id, a, err)
		}
	}
	w.settle()
	if bad := unstored(); len(bad) != 0 {
		t.Errorf("acked before stored: %v", bad)
	}
}

// TestNoAckLeavesBeforeItsEnvelopeIsStored holds the database's write lock
// while a command arrives: the bot reads the envelope, blocks storing it,
// and must not acknowledge it until the row exists, however long that
// takes (Slack then redelivers; an ack for something not stored is lost).
func TestNoAckLeavesBeforeItsEnvelopeIsStored(t *testing.T) {
	w := newWorld(t, worldOptions{})
	ctx := context.Background()
	var held atomic.Bool
	var mu sync.Mutex
	var early []string
	w.slack.OnAckFrame(func(id string) {
		var n int
		w.db.Reader().QueryRowContext(ctx, `SELECT count(*) FROM inbox WHERE envelope_id=?`, id).Scan(&n)
		if held.Load() || n == 0 {
			mu.Lock()
			early = append(early, id)
			mu.Unlock()
		}
	})

	holding, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- w.db.Write(ctx, func(tx *storage.Tx) error {
			held.Store(true)
			close(holding)
			<-release
			held.Store(false)
			return nil
		})
	}()
	<-holding
	var once sync.Once
	unlock := func() { once.Do(func() { close(release); must(t, <-done) }) }
	t.Cleanup(unlock) // a failure below must not leave the bot blocked
	id, err := w.slack.Slash(manager, channel, "status")
	must(t, err)
	// The positive signal: the bot has read the envelope and waits to
	// store it. An ack sent before that wait would be on its way now.
	w.waitFor("the bot to wait for the write lock", 10*time.Second, func() bool { u, _ := w.db.WritesWaiting(); return u == 1 })
	time.Sleep(200 * time.Millisecond) // let anything already sent arrive
	if _, ok := w.slack.AckOf(id); ok {
		t.Fatal("the envelope was acknowledged while it could not be stored")
	}
	unlock()
	if _, err := w.slack.WaitAck(id, 10*time.Second); err != nil {
		t.Fatalf("no ack once the lock was released: %v", err)
	}
	w.settle()
	mu.Lock()
	defer mu.Unlock()
	if len(early) != 0 {
		t.Errorf("acked before stored: %v", early)
	}
}
