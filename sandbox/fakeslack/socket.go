package fakeslack

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// maxAckBytes is the frame size at which Slack drops an ack unread.
const maxAckBytes = 20480

// MaxSockets is how many Socket Mode connections Slack keeps open per app;
// one more is told `too_many_websockets` and closed.
const MaxSockets = 10

// socket is one open Socket Mode connection.
type socket struct {
	id       int
	conn     *websocket.Conn
	writeMu  sync.Mutex
	done     chan struct{}
	once     sync.Once
	openedAt time.Time
	debug    bool // opened with debug_reconnects=true
}

func (so *socket) write(b []byte) error {
	so.writeMu.Lock()
	defer so.writeMu.Unlock()
	_ = so.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return so.conn.WriteMessage(websocket.TextMessage, b)
}

// close drops the connection without a close handshake, like a lost link.
func (so *socket) close() {
	so.once.Do(func() {
		close(so.done)
		_ = so.conn.Close()
	})
}

func (s *Server) serveSocket(w http.ResponseWriter, hr *http.Request) {
	ticket := hr.URL.Query().Get("ticket")
	s.mu.Lock()
	issued, ok := s.tickets[ticket]
	delete(s.tickets, ticket)
	s.mu.Unlock()
	if !ok || s.now().Sub(issued) > time.Minute {
		http.Error(w, "invalid ticket", http.StatusUnauthorized)
		return
	}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(w, hr, nil)
	if err != nil {
		return
	}
	conn.SetReadLimit(1 << 20)
	so := &socket{conn: conn, done: make(chan struct{}), openedAt: time.Now(),
		debug: hr.URL.Query().Get("debug_reconnects") == "true"}

	s.mu.Lock()
	select {
	case <-s.closing:
		s.mu.Unlock()
		so.close()
		return
	default:
	}
	if len(s.sockets) >= MaxSockets {
		s.mu.Unlock()
		_ = so.write(disconnectFrame("too_many_websockets"))
		so.close()
		return
	}
	s.seq++
	so.id = int(s.seq)
	s.sockets = append(s.sockets, so)
	n := len(s.sockets)
	s.spawnLocked(func() { s.pinger(so) })
	s.spawnLocked(func() { s.reader(so) })
	if so.debug {
		s.spawnLocked(func() { s.retireAfter(so, s.opts.DebugConnectionTime) })
	}
	s.notifyLocked()
	s.mu.Unlock()

	hello, _ := json.Marshal(map[string]any{
		"type": "hello", "num_connections": n,
		"debug_info": map[string]any{
			"host": "applink-fake-1", "build_number": 10, "approximate_connection_time": 18060,
		},
		"connection_info": map[string]any{"app_id": s.opts.AppID},
	})
	if err := so.write(hello); err != nil {
		so.close()
	}
	s.nudge() // events waiting for a socket may go now
}

// pinger sends WebSocket PINGs, the first at once: slack-go reconnects when
// none arrives within its ping interval.
func (s *Server) pinger(so *socket) {
	t := time.NewTicker(s.opts.PingInterval)
	defer t.Stop()
	for {
		if err := so.conn.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(5*time.Second)); err != nil {
			so.close()
			return
		}
		select {
		case <-so.done:
			return
		case <-s.closing:
			return
		case <-t.C:
		}
	}
}

func (s *Server) reader(so *socket) {
	defer s.removeSocket(so)
	for {
		_, data, err := so.conn.ReadMessage()
		if err != nil {
			return
		}
		s.handleFrame(so.id, data)
	}
}

func (s *Server) removeSocket(so *socket) {
	so.close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.sockets {
		if x == so {
			s.sockets = append(s.sockets[:i:i], s.sockets[i+1:]...)
			break
		}
	}
	s.notifyLocked()
}

// Sockets is the number of open Socket Mode connections.
func (s *Server) Sockets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sockets)
}

// DropSockets closes every socket abruptly, as a network fault would.
func (s *Server) DropSockets() {
	s.mu.Lock()
	socks := append([]*socket(nil), s.sockets...)
	s.mu.Unlock()
	for _, so := range socks {
		s.removeSocket(so)
	}
}

// Disconnect sends every socket a `disconnect` frame with the reason
// ("warning", "refresh_requested", "link_disabled", "too_many_websockets").
// Slack closes the socket itself right after, except for `warning`, where
// it waits DisconnectGrace.
func (s *Server) Disconnect(reason string) {
	s.mu.Lock()
	socks := append([]*socket(nil), s.sockets...)
	s.mu.Unlock()
	for _, so := range socks {
		s.disconnect(so, reason)
	}
}

// DisconnectSocket sends one socket (see SocketIDs) a `disconnect` frame.
func (s *Server) DisconnectSocket(id int, reason string) bool {
	so := s.socketByID(id)
	if so != nil {
		s.disconnect(so, reason)
	}
	return so != nil
}

// socketByID finds an open socket, or nil.
func (s *Server) socketByID(id int) *socket {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.sockets {
		if x.id == id {
			return x
		}
	}
	return nil
}

// DropSocket closes one socket abruptly.
func (s *Server) DropSocket(id int) {
	so := s.socketByID(id)
	if so != nil {
		s.removeSocket(so)
	}
}

// SocketIDs lists the open sockets' ids, oldest first.
func (s *Server) SocketIDs() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int, 0, len(s.sockets))
	for _, so := range s.sockets {
		ids = append(ids, so.id)
	}
	return ids
}

func disconnectFrame(reason string) []byte {
	frame, _ := json.Marshal(map[string]any{
		"type": "disconnect", "reason": reason, "debug_info": map[string]any{"host": "applink-fake-1"},
	})
	return frame
}

// disconnect tells a socket to go and closes it: at once, or after
// DisconnectGrace for a `warning`. Envelopes keep going to it until then.
func (s *Server) disconnect(so *socket, reason string) {
	_ = so.write(disconnectFrame(reason))
	grace := time.Duration(0)
	if reason == "warning" {
		grace = s.opts.DisconnectGrace
	}
	s.spawn(func() {
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
		case <-so.done:
		case <-s.closing:
		}
		// A WebSocket close, not a cut link: what was sent before it
		// arrives.
		_ = so.conn.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseNormalClosure, reason), time.Now().Add(time.Second))
		s.removeSocket(so)
	})
}

// retireAfter warns a debug_reconnects socket when its short life is over.
func (s *Server) retireAfter(so *socket, life time.Duration) {
	t := time.NewTimer(life)
	defer t.Stop()
	select {
	case <-t.C:
		s.disconnect(so, "warning")
	case <-so.done:
	case <-s.closing:
	}
}

// SendRaw writes a frame as it is on one socket (see SocketIDs), for
// frames Slack would never send: a client must survive them.
func (s *Server) SendRaw(id int, frame []byte) error {
	so := s.socketByID(id)
	if so == nil {
		return ErrNotConnected
	}
	return so.write(frame)
}
