package socket

import (
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// MaxAckBytes is the ack frame size at which Slack drops the frame unread.
const MaxAckBytes = 20480

// ackWriteTimeout bounds one ack write: a socket that takes longer is
// broken, and the envelope's 3 s are nearly gone anyway.
const ackWriteTimeout = 2 * time.Second

var ackBufs = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// Ack acknowledges the envelope; payload is a JSON value (a slash
// command's message, a view_submission's response_action) or nil.
//
// It goes on the connection the envelope came on, unless Slack has since
// asked that connection to go, or it has closed: then on another open one,
// so that the ack is not written into a socket about to be cut. Slack
// matches an ack by its envelope_id, and the Node SDK likewise acks on
// whichever socket is current. Only with no connection open does it fail
// with ErrClosed.
func (e *Envelope) Ack(payload []byte) error {
	if e.conn == nil {
		return ErrClosed
	}
	if e.client == nil || !e.conn.draining.Load() {
		err := e.conn.ack(e.ID, payload)
		if err != ErrClosed || e.client == nil {
			return err
		}
	}
	live := e.client.live()
	// Connections still in service first, the one it came on last.
	slices.SortStableFunc(live, func(a, b *conn) int { return rank(a, e.conn) - rank(b, e.conn) })
	for _, cn := range live {
		if err := cn.ack(e.ID, payload); err != ErrClosed {
			return err
		}
	}
	return ErrClosed
}

func rank(cn, origin *conn) int {
	switch {
	case cn == origin:
		return 2
	case cn.draining.Load():
		return 1
	}
	return 0
}

func (cn *conn) ack(id string, payload []byte) error {
	bp := ackBufs.Get().(*[]byte)
	defer ackBufs.Put(bp)
	b := append((*bp)[:0], `{"envelope_id":`...)
	b = appendString(b, id)
	if len(payload) > 0 {
		b = append(b, `,"payload":`...)
		b = append(b, payload...)
	}
	b = append(b, '}')
	*bp = b
	if len(b) >= MaxAckBytes {
		return ErrAckTooLarge
	}
	cn.wmu.Lock()
	defer cn.wmu.Unlock()
	if cn.closed {
		return ErrClosed
	}
	_ = cn.ws.SetWriteDeadline(time.Now().Add(ackWriteTimeout))
	if err := cn.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		return ErrClosed
	}
	return nil
}

// appendString appends s as a JSON string; envelope IDs are UUIDs, so the
// quoting is nearly always a plain copy.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
