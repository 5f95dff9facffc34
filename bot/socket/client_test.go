package socket_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/bot/socket"
	"github.com/offboard/offboard/sandbox/fakeslack"
)

const wait = 10 * time.Second

// harness runs a Client against a fake workspace and collects what it reads.
type harness struct {
	srv  *fakeslack.Server
	c    *socket.Client
	out  chan *socket.Envelope
	done chan error
	stop context.CancelFunc
}

func newFake(t *testing.T, o fakeslack.Options) *fakeslack.Server {
	t.Helper()
	srv, err := fakeslack.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.AddUser(fakeslack.User{ID: "U0SAM", Name: "sam"})
	srv.AddChannel(fakeslack.Channel{ID: "C0APPRO", Name: "approvals", Members: []string{"U0SAM", srv.BotUserID()}})
	return srv
}

func run(t *testing.T, srv *fakeslack.Server, o socket.Options) *harness {
	t.Helper()
	o.API = slack.New(srv.BotToken(), slack.OptionAppLevelToken(srv.AppToken()), slack.OptionAPIURL(srv.APIURL()))
	if o.BackoffMin == 0 {
		o.BackoffMin = 20 * time.Millisecond
	}
	h := &harness{srv: srv, c: socket.New(o), out: make(chan *socket.Envelope, 100), done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	h.stop = cancel
	go func() { h.done <- h.c.Run(ctx, h.out) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.done:
		case <-time.After(wait):
			t.Error("Run did not return")
		}
		h.c.Close()
	})
	return h
}

func (h *harness) waitConnected(t *testing.T, n int) {
	t.Helper()
	poll(t, func() bool { return h.srv.Sockets() == n && h.c.Connected() == n },
		func() string {
			return fmt.Sprintf("sockets = %d, connected = %d; want %d", h.srv.Sockets(), h.c.Connected(), n)
		})
}

// poll waits for a condition that spans the fake and the client (the
// fake's WaitFor wakes only on the fake's own changes).
func poll(t *testing.T, cond func() bool, what func() string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(what())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (h *harness) next(t *testing.T) *socket.Envelope {
	t.Helper()
	select {
	case env := <-h.out:
		return env
	case <-time.After(wait):
		t.Fatal("no envelope")
		return nil
	}
}

// slash sends a command and returns the envelope the client read.
func (h *harness) slash(t *testing.T) (*socket.Envelope, string) {
	t.Helper()
	id, err := h.srv.Slash("U0SAM", "C0APPRO", "status")
	if err != nil {
		t.Fatal(err)
	}
	env := h.next(t)
	if env.ID != id {
		t.Fatalf("read %s, sent %s", env.ID, id)
	}
	return env, id
}

func opens(srv *fakeslack.Server) int { return len(srv.CallsTo("apps.connections.open")) }

func TestAnEnvelopeIsReadAckedAndItsAckPayloadActedOn(t *testing.T) {
	srv := newFake(t, fakeslack.Options{})
	h := run(t, srv, socket.Options{})
	h.waitConnected(t, 1)
	env, id := h.slash(t)
	if env.Type != "slash_commands" || !env.AcceptsResponsePayload || !strings.HasPrefix(env.DedupKey, "trigger:") {
		t.Errorf("envelope = %+v", env)
	}
	if strings.Contains(string(env.Payload), "fake-verification") {
		t.Errorf("the verification token is still in the payload: %s", env.Payload)
	}
	var cmd slack.SlashCommand
	if err := json.Unmarshal(env.Payload, &cmd); err != nil || cmd.Command != "/offboard" || cmd.UserID != "U0SAM" {
		t.Errorf("payload decodes to %+v, %v", cmd, err)
	}
	if err := env.Ack([]byte(`{"text":"working on it"}`)); err != nil {
		t.Fatal(err)
	}
	ack, err := srv.WaitAck(id, wait)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Error != "" || ack.Late || string(ack.Payload) != `{"text":"working on it"}` {
		t.Errorf("ack = %+v", ack)
	}
	if eps := srv.Ephemerals("U0SAM"); len(eps) != 1 || eps[0].Text != "working on it" {
		t.Errorf("the ack's message was not shown: %+v", eps)
	}
	big := []byte(`{"text":"` + strings.Repeat("x", socket.MaxAckBytes) + `"}`)
	if err := env.Ack(big); !errors.Is(err, socket.ErrAckTooLarge) {
		t.Errorf("an ack over 20,480 bytes: %v, want ErrAckTooLarge", err)
	}
}

func TestEveryDisconnectReasonLeadsToANewSocket(t *testing.T) {
	for _, reason := range []string{"warning", "refresh_requested", "link_disabled", "too_many_websockets", "something_new"} {
		t.Run(reason, func(t *testing.T) {
			srv := newFake(t, fakeslack.Options{DisconnectGrace: 300 * time.Millisecond})
			h := run(t, srv, socket.Options{})
			h.waitConnected(t, 1)
			old := srv.SocketIDs()[0]
			srv.Disconnect(reason)
			poll(t, func() bool {
				ids := srv.SocketIDs()
				return len(ids) == 1 && ids[0] != old && h.c.Connected() == 1
			}, func() string { return fmt.Sprintf("after %s: sockets %v (old %d)", reason, srv.SocketIDs(), old) })
			if n := opens(srv); n != 2 {
				t.Errorf("apps.connections.open called %d times, want 2", n)
			}
			h.slash(t) // the new socket carries envelopes
		})
	}
}

func TestAWarningOpensTheSuccessorBeforeTheOldSocketCloses(t *testing.T) {
	srv := newFake(t, fakeslack.Options{DisconnectGrace: time.Second})
	h := run(t, srv, socket.Options{})
	h.waitConnected(t, 1)
	old := srv.SocketIDs()[0]
	srv.Disconnect("warning")
	poll(t, func() bool { return srv.Sockets() == 2 && h.c.Connected() == 2 },
		func() string { return "no second socket while the warned one was still open: a gap" })
	// Slack may still deliver on the warned socket until it closes it.
	id, _ := srv.Slash("U0SAM", "C0APPRO", "status")
	h.next(t)
	rid, err := srv.Redeliver(id, old)
	if err != nil {
		t.Fatal(err)
	}
	env := h.next(t)
	if env.ID != rid || env.RetryAttempt != 1 || env.RetryReason != "timeout" {
		t.Fatalf("read %+v, want %s from the warned socket, retry 1", env, rid)
	}
	if err := env.Ack(nil); err != nil {
		t.Fatalf("ack of an envelope from the warned socket: %v", err)
	}
	ack, err := srv.WaitAck(rid, wait)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Socket == old || ack.Socket == 0 {
		t.Errorf("the ack went on socket %d, the warned one is %d: it may be cut before Slack reads it", ack.Socket, old)
	}
}

func TestAPingTimeoutReplacesTheSocket(t *testing.T) {
	srv := newFake(t, fakeslack.Options{PingInterval: time.Hour}) // one ping, at once, then silence
	h := run(t, srv, socket.Options{PingTimeout: 200 * time.Millisecond})
	h.waitConnected(t, 1)
	if err := srv.WaitFor(wait, func() bool { return opens(srv) >= 2 }); err != nil {
		t.Fatal("no reconnect after the pings stopped")
	}
}

func TestPingsKeepTheSocket(t *testing.T) {
	srv := newFake(t, fakeslack.Options{PingInterval: 50 * time.Millisecond})
	h := run(t, srv, socket.Options{PingTimeout: 300 * time.Millisecond})
	h.waitConnected(t, 1)
	time.Sleep(time.Second) // several ping timeouts pass
	if n := opens(srv); n != 1 {
		t.Errorf("apps.connections.open called %d times, want 1", n)
	}
}

func TestARefusedConnectionsOpenIsRetriedWithBackoff(t *testing.T) {
	srv := newFake(t, fakeslack.Options{})
	srv.RefuseConnections(fakeslack.Fault{Status: http.StatusServiceUnavailable, Times: 3})
	h := run(t, srv, socket.Options{})
	h.waitConnected(t, 1)
	calls := srv.CallsTo("apps.connections.open")
	if len(calls) != 4 {
		t.Fatalf("apps.connections.open called %d times, want 3 refused and 1 accepted", len(calls))
	}
}

func TestARateLimitedConnectionsOpenWaitsForRetryAfter(t *testing.T) {
	srv := newFake(t, fakeslack.Options{})
	srv.RefuseConnections(fakeslack.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second, Times: 1})
	h := run(t, srv, socket.Options{})
	h.waitConnected(t, 1)
	if v := srv.Violations(); len(v) != 0 {
		t.Errorf("apps.connections.open called again before Retry-After: %+v", v)
	}
}

func TestInvalidAuthStopsRun(t *testing.T) {
	for _, f := range []fakeslack.Fault{{Error: "invalid_auth"}, {Error: "token_revoked"}, {Status: http.StatusNotFound}} {
		srv := newFake(t, fakeslack.Options{})
		srv.RefuseConnections(f)
		h := run(t, srv, socket.Options{})
		select {
		case err := <-h.done:
			h.done <- err // for the cleanup
			if !errors.Is(err, socket.ErrInvalidAuth) {
				t.Errorf("%+v: Run = %v, want ErrInvalidAuth", f, err)
			}
			if strings.Contains(err.Error(), srv.AppToken()) {
				t.Errorf("the error names the token: %v", err)
			}
		case <-time.After(wait):
			t.Fatalf("%+v: Run did not stop", f)
		}
		if n := opens(srv); n != 1 {
			t.Errorf("%+v: apps.connections.open called %d times, want 1 (fatal)", f, n)
		}
	}
}

func TestDebugReconnectsAsksForShortLivedSockets(t *testing.T) {
	srv := newFake(t, fakeslack.Options{DebugConnectionTime: 200 * time.Millisecond, DisconnectGrace: 100 * time.Millisecond})
	h := run(t, srv, socket.Options{DebugReconnects: true})
	h.waitConnected(t, 1)
	if err := srv.WaitFor(wait, func() bool { return opens(srv) >= 3 }); err != nil {
		t.Fatal("short-lived sockets were not replaced")
	}
	h.waitConnected(t, 1)
	h.slash(t)
}

func TestSeveralSocketsEachCarryEnvelopes(t *testing.T) {
	srv := newFake(t, fakeslack.Options{})
	h := run(t, srv, socket.Options{Sockets: 3})
	h.waitConnected(t, 3)
	seen := map[int]bool{}
	for i := 0; i < 6; i++ {
		env, id := h.slash(t)
		seen[env.Socket] = true
		if err := env.Ack(nil); err != nil {
			t.Fatal(err)
		}
		if _, err := srv.WaitAck(id, wait); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != 3 {
		t.Errorf("envelopes came on %d sockets, want 3", len(seen))
	}
}

func TestAnUnreadableFrameIsHandedOnNotDropped(t *testing.T) {
	srv := newFake(t, fakeslack.Options{})
	h := run(t, srv, socket.Options{})
	h.waitConnected(t, 1)
	if err := srv.SendRaw(srv.SocketIDs()[0], []byte(`{"envelope_id":"e1","type":"interactive","payload":{"token":"fake-verification","x":`)); err != nil {
		t.Fatal(err)
	}
	env := h.next(t)
	if env.Unreadable == nil || env.ID != "" || len(env.Raw) == 0 || strings.Contains(string(env.Raw), "fake-verification") {
		t.Errorf("unreadable frame = %+v (raw %s)", env, env.Raw)
	}
	h.slash(t) // the socket carries on
}

func TestAfterRunTheLastEnvelopesCanStillBeAcked(t *testing.T) {
	srv := newFake(t, fakeslack.Options{})
	h := run(t, srv, socket.Options{})
	h.waitConnected(t, 1)
	env, id := h.slash(t)
	h.stop()
	if err := <-h.done; err != nil {
		t.Fatal(err)
	}
	h.done <- nil
	if err := env.Ack(nil); err != nil {
		t.Fatalf("ack after Run returned: %v", err)
	}
	if _, err := srv.WaitAck(id, wait); err != nil {
		t.Fatal(err)
	}
	h.c.Close()
	if err := env.Ack(nil); !errors.Is(err, socket.ErrClosed) {
		t.Errorf("ack after Close: %v, want ErrClosed", err)
	}
}

func TestAnAckWhoseSocketClosedGoesOnAnotherOne(t *testing.T) {
	srv := newFake(t, fakeslack.Options{})
	h := run(t, srv, socket.Options{Sockets: 2})
	h.waitConnected(t, 2)
	env, id := h.slash(t)
	var on int // the fake's number for the socket it used
	for _, e := range srv.Envelopes() {
		if e.ID == id {
			on = e.Socket
		}
	}
	srv.DropSocket(on)
	poll(t, func() bool {
		return h.c.Connected() == 2 && srv.Sockets() == 2 && !slices.Contains(srv.SocketIDs(), on)
	},
		func() string { return fmt.Sprintf("sockets %v after dropping %d", srv.SocketIDs(), on) })
	if err := env.Ack(nil); err != nil {
		t.Fatalf("ack after its socket closed: %v", err)
	}
	if _, err := srv.WaitAck(id, wait); err != nil {
		t.Fatal(err)
	}
}

func TestASocketThatSendsOnlyGarbageIsReplaced(t *testing.T) {
	srv := newFake(t, fakeslack.Options{})
	h := run(t, srv, socket.Options{})
	h.waitConnected(t, 1)
	for i := 0; i < 10; i++ {
		if err := srv.SendRaw(srv.SocketIDs()[0], []byte(`not json`)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 10; i++ {
		if env := h.next(t); env.Unreadable == nil {
			t.Fatalf("frame %d: %+v, want unreadable", i, env)
		}
	}
	poll(t, func() bool { return opens(srv) == 2 && h.c.Connected() == 1 },
		func() string {
			return fmt.Sprintf("apps.connections.open called %d times, want a reconnect", opens(srv))
		})
}
