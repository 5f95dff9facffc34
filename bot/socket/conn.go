package socket

import (
	"bytes"
	"context"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// conn is one WebSocket connection.
type conn struct {
	id int
	ws *websocket.Conn

	wmu    sync.Mutex // one writer at a time (acks)
	closed bool
	// draining says Slack asked this connection to go (warning,
	// refresh_requested): acks go on its successor when one is open.
	draining atomic.Bool
}

// close closes the connection, with a close frame when polite.
func (cn *conn) close(polite bool) {
	cn.wmu.Lock()
	defer cn.wmu.Unlock()
	if cn.closed {
		return
	}
	cn.closed = true
	if polite {
		_ = cn.ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	}
	_ = cn.ws.Close()
}

// maxUnreadable is how many unreadable frames in a row a connection may
// send (each is handed on, for the record) before it is replaced.
const maxUnreadable = 10

// frameBufs are the buffers frames are read into; a frame's payload is
// copied out (without its token) before the buffer goes back.
var frameBufs = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 8<<10)) }}

// read serves one connection until it ends, the caller stops, or Slack
// asks for it to go. It tells the slot once, on next, when a successor is
// wanted; a connection Slack is retiring is still read, for DrainTimeout,
// so that nothing sent on it is missed.
func (c *Client) read(ctx context.Context, cn *conn, out chan<- *Envelope, next chan<- ending) {
	var hello, signalled bool
	unreadable := 0 // in a row
	var drainUntil time.Time
	signal := func(e ending) {
		if !signalled {
			signalled = true
			e.hello = hello
			next <- e
		}
	}
	defer func() {
		if hello {
			c.connected.Add(-1)
		}
		if ctx.Err() != nil {
			return // left open for the last acks; Close closes it
		}
		c.mu.Lock()
		delete(c.conns, cn)
		c.mu.Unlock()
		cn.close(false)
		signal(ending{reason: "closed"})
	}()
	deadline := func() {
		d := time.Now().Add(c.o.PingTimeout)
		if !drainUntil.IsZero() && drainUntil.Before(d) {
			d = drainUntil
		}
		_ = cn.ws.SetReadDeadline(d)
		if ctx.Err() != nil { // Run is stopping: do not outlive its wake-up
			_ = cn.ws.SetReadDeadline(time.Now())
		}
	}
	cn.ws.SetPingHandler(func(data string) error {
		deadline()
		err := cn.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		if err == websocket.ErrCloseSent {
			return nil
		}
		return err
	})
	for {
		deadline()
		if ctx.Err() != nil {
			return
		}
		_, r, err := cn.ws.NextReader()
		if err != nil {
			if ctx.Err() == nil && drainUntil.IsZero() {
				c.o.Logger.Warn().Err(err).Int("socket", cn.id).Msg("socket mode: connection lost; reconnecting")
			}
			return
		}
		buf := frameBufs.Get().(*bytes.Buffer)
		buf.Reset()
		_, err = buf.ReadFrom(r)
		if err != nil {
			frameBufs.Put(buf)
			return
		}
		env, control, reason, perr := parseEnvelope(buf.Bytes())
		if perr != nil {
			env = Envelope{Unreadable: perr, Raw: redact(buf.Bytes())}
			unreadable++
		} else {
			unreadable = 0
		}
		frameBufs.Put(buf)
		switch control {
		case "hello":
			if !hello {
				hello = true
				if c.connected.Add(1) == 1 {
					c.o.Logger.Info().Int("socket", cn.id).Msg("socket mode connected")
				}
			}
			continue
		case "disconnect":
			c.o.Logger.Info().Str("reason", reason).Int("socket", cn.id).Msg("socket mode: slack asked us to reconnect")
			switch reason {
			case "warning", "refresh_requested":
				// Open the successor now and keep reading this one
				// until Slack closes it: no gap, nothing missed.
				signal(ending{reason: reason})
				cn.draining.Store(true)
				drainUntil = time.Now().Add(c.o.DrainTimeout)
			case "link_disabled":
				c.o.Logger.Error().Int("socket", cn.id).Msg("socket mode: slack disabled Socket Mode for the app; retrying with backoff")
				signal(ending{reason: reason, backoff: true})
				return
			default: // too_many_websockets, or a reason not known yet
				signal(ending{reason: reason, backoff: true})
				return
			}
			continue
		}
		env.Received, env.Socket, env.conn, env.client = time.Now(), cn.id, cn, c
		select {
		case out <- &env:
		case <-ctx.Done():
			return
		}
		if unreadable >= maxUnreadable {
			// A connection that only says garbage is broken somewhere
			// between us and Slack; slack-go gives up on it too.
			c.o.Logger.Warn().Int("socket", cn.id).Msg("socket mode: too many unreadable frames in a row; reconnecting")
			return
		}
	}
}

// tokenField finds a verification token in a frame too broken to parse.
var tokenField = regexp.MustCompile(`"token"\s*:\s*"(?:[^"\\]|\\.)*"`)

// redact copies an unreadable frame for the record, without any token.
func redact(frame []byte) []byte {
	return tokenField.ReplaceAll(bytes.Clone(frame), []byte(`"token":"[redacted]"`))
}
