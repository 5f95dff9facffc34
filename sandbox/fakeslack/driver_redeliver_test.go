package fakeslack

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// rawSocket is a bare WebSocket client: what arrives on one connection,
// frame by frame, with no SDK in between.
type rawSocket struct {
	ws     *websocket.Conn
	frames chan map[string]any
	end    error // why reading stopped, once frames is closed
}

func dialRaw(t *testing.T, srv *Server, query string) *rawSocket {
	t.Helper()
	_, url, err := api(srv).StartSocketModeContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := websocket.DefaultDialer.Dial(url+query, http.Header{"Origin": {"https://api.slack.com"}})
	if err != nil {
		t.Fatal(err)
	}
	rs := &rawSocket{ws: ws, frames: make(chan map[string]any, 64)}
	go func() {
		defer close(rs.frames)
		for {
			_, b, err := ws.ReadMessage()
			if err != nil {
				rs.end = err
				return
			}
			var f map[string]any
			_ = json.Unmarshal(b, &f)
			rs.frames <- f
		}
	}()
	t.Cleanup(func() { ws.Close() })
	rs.next(t, "hello")
	return rs
}

// next returns the next frame of the type; "" for any envelope.
func (rs *rawSocket) next(t *testing.T, typ string) map[string]any {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case f, ok := <-rs.frames:
			if !ok {
				t.Fatalf("socket closed waiting for %q", typ)
			}
			if f["type"] == typ || typ == "" && f["envelope_id"] != nil {
				return f
			}
		case <-deadline:
			t.Fatalf("no %q frame", typ)
		}
	}
}

// closed waits for the server to close the socket.
func (rs *rawSocket) closed(t *testing.T) {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case _, ok := <-rs.frames:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("socket still open")
		}
	}
}

func TestRedeliverySendsTheSamePayloadOnTheChosenSocketWithItsRetryAttempt(t *testing.T) {
	srv := newServer(t, Options{})
	first := dialRaw(t, srv, "")
	second := dialRaw(t, srv, "")
	ids := srv.SocketIDs()
	if len(ids) != 2 {
		t.Fatalf("sockets = %v, want 2", ids)
	}
	srv.PauseDelivery() // so the first delivery can be steered too
	id, err := srv.Slash(sam, appro, "status")
	if err != nil {
		t.Fatal(err)
	}
	srv.ResumeDelivery()
	var orig map[string]any
	var other *rawSocket
	select {
	case orig = <-first.frames:
		other = second
	case orig = <-second.frames:
		other = first
	case <-time.After(wait):
		t.Fatal("no delivery")
	}
	otherID := ids[0]
	if other == second {
		otherID = ids[1]
	}
	rid, err := srv.Redeliver(id, otherID)
	if err != nil {
		t.Fatal(err)
	}
	got := other.next(t, "")
	if got["envelope_id"] != rid || rid == id {
		t.Errorf("redelivered envelope_id = %v, want the new id %s (not %s)", got["envelope_id"], rid, id)
	}
	if got["retry_attempt"] != float64(1) || got["retry_reason"] != "timeout" {
		t.Errorf("retry fields = %v/%v, want 1/timeout", got["retry_attempt"], got["retry_reason"])
	}
	a, _ := json.Marshal(orig["payload"])
	b, _ := json.Marshal(got["payload"])
	if string(a) != string(b) {
		t.Errorf("payload changed on redelivery:\n%s\n%s", a, b)
	}
	if _, err := srv.Redeliver(id, 999); err == nil {
		t.Error("redelivery on a socket that is not open succeeded")
	}
}

func TestADebugReconnectsSocketIsWarnedWhenItsShortLifeEnds(t *testing.T) {
	srv := newServer(t, Options{DebugConnectionTime: 100 * time.Millisecond, DisconnectGrace: 100 * time.Millisecond})
	plain := dialRaw(t, srv, "")
	debug := dialRaw(t, srv, "&debug_reconnects=true")
	f := debug.next(t, "disconnect")
	if f["reason"] != "warning" {
		t.Errorf("disconnect reason = %v, want warning", f["reason"])
	}
	debug.closed(t)
	if err := srv.WaitFor(wait, func() bool { return srv.Sockets() == 1 }); err != nil {
		t.Errorf("open sockets = %d, want the plain one only: %v", srv.Sockets(), err)
	}
	select {
	case f := <-plain.frames:
		t.Errorf("the plain socket got %v", f)
	default:
	}
}

func TestAnEleventhSocketIsToldTooManyWebsockets(t *testing.T) {
	srv := newServer(t, Options{})
	for i := 0; i < MaxSockets; i++ {
		dialRaw(t, srv, "")
	}
	_, url, err := api(srv).StartSocketModeContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	_, b, err := ws.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	_ = json.Unmarshal(b, &f)
	if f["type"] != "disconnect" || f["reason"] != "too_many_websockets" {
		t.Errorf("first frame = %s, want disconnect too_many_websockets", b)
	}
	if _, _, err := ws.ReadMessage(); err == nil {
		t.Error("the eleventh socket stayed open")
	}
	if n := srv.Sockets(); n != MaxSockets {
		t.Errorf("open sockets = %d, want %d", n, MaxSockets)
	}
}

func TestDisconnectSocketTellsOnlyThatSocket(t *testing.T) {
	srv := newServer(t, Options{})
	a := dialRaw(t, srv, "")
	b := dialRaw(t, srv, "")
	if !srv.DisconnectSocket(srv.SocketIDs()[0], "refresh_requested") {
		t.Fatal("socket not found")
	}
	if f := a.next(t, "disconnect"); f["reason"] != "refresh_requested" {
		t.Errorf("reason = %v", f["reason"])
	}
	a.closed(t)
	if !websocket.IsCloseError(a.end, websocket.CloseNormalClosure) {
		t.Errorf("the socket ended with %v, want a normal WebSocket close", a.end)
	}
	select {
	case f := <-b.frames:
		t.Errorf("the other socket got %v", f)
	default:
	}
}
