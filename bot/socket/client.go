package socket

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
)

// Options configure a Client.
type Options struct {
	// API is a slack-go client with the app-level token and the API URL;
	// only apps.connections.open goes through it.
	API *slack.Client
	// Sockets is the number of parallel connections, 1 to 10 (default 1).
	// Slack hands each envelope to one of them.
	Sockets int
	// PingTimeout is how long a connection may go without a frame or a
	// ping before it is taken for dead and replaced (default 30 s, as
	// slack-go).
	PingTimeout time.Duration
	// DebugReconnects asks Slack for short-lived connections
	// (debug_reconnects=true), to exercise reconnects in tests.
	DebugReconnects bool
	// BackoffMin and BackoffMax bound the wait between failed attempts to
	// connect (default 1 s and 5 min, with jitter).
	BackoffMin, BackoffMax time.Duration
	// DrainTimeout is how long a connection Slack asked us to leave
	// (warning, refresh_requested) is still read while its successor
	// takes over (default 15 s; Slack closes it after about 10 s).
	DrainTimeout time.Duration
	// ReadLimit is the largest frame accepted (default 4 MiB).
	ReadLimit int64
	Logger    zerolog.Logger
}

// Client keeps Options.Sockets connections open and hands every envelope
// read on them to the caller.
type Client struct {
	o         Options
	dialer    websocket.Dialer
	connected atomic.Int32
	seq       atomic.Int32

	mu    sync.Mutex
	conns map[*conn]struct{}

	readers sync.WaitGroup
}

// New builds a Client; nothing connects until Run.
func New(o Options) *Client {
	if o.Sockets <= 0 {
		o.Sockets = 1
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.PingTimeout, 30*time.Second)
	def(&o.BackoffMin, time.Second)
	def(&o.BackoffMax, 5*time.Minute)
	def(&o.DrainTimeout, 15*time.Second)
	if o.ReadLimit <= 0 {
		o.ReadLimit = 4 << 20
	}
	return &Client{o: o, conns: map[*conn]struct{}{},
		dialer: websocket.Dialer{HandshakeTimeout: 45 * time.Second, ReadBufferSize: 16 << 10, WriteBufferSize: 4 << 10}}
}

// Connected is the number of connections that have received hello.
func (c *Client) Connected() int { return int(c.connected.Load()) }

// Run connects and sends every envelope read to out until ctx ends or
// Slack refuses the token (ErrInvalidAuth). When it returns, nothing more is
// read, but the connections stay open so that what was read can still be
// acknowledged; Close closes them.
func (c *Client) Run(ctx context.Context, out chan<- *Envelope) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var slots sync.WaitGroup
	for i := 0; i < c.o.Sockets; i++ {
		slots.Add(1)
		go func() {
			defer slots.Done()
			if err := c.slot(ctx, out); err != nil {
				cancel(err)
			}
		}()
	}
	<-ctx.Done()
	c.stopReading()
	slots.Wait()
	c.readers.Wait()
	if err := context.Cause(ctx); errors.Is(err, ErrInvalidAuth) {
		return err
	}
	return nil
}

// live lists the connections not yet closed.
func (c *Client) live() []*conn {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*conn, 0, len(c.conns))
	for cn := range c.conns {
		out = append(out, cn)
	}
	return out
}

// stopReading wakes every reader blocked on its socket; each sees the
// context ended and returns without closing the socket.
func (c *Client) stopReading() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for cn := range c.conns {
		_ = cn.ws.SetReadDeadline(time.Now())
	}
}

// Close closes every connection; acks after it fail with ErrClosed.
func (c *Client) Close() {
	c.mu.Lock()
	conns := make([]*conn, 0, len(c.conns))
	for cn := range c.conns {
		conns = append(conns, cn)
	}
	clear(c.conns)
	c.mu.Unlock()
	for _, cn := range conns {
		cn.close(true)
	}
}

// slot keeps one connection open: it connects, serves, and when the
// connection ends or Slack asks for a new one, connects again, with
// backoff after failures. It returns only a fatal error.
func (c *Client) slot(ctx context.Context, out chan<- *Envelope) error {
	fails := 0
	for ctx.Err() == nil {
		cn, err := c.open(ctx)
		if err != nil {
			if errors.Is(err, ErrInvalidAuth) {
				c.o.Logger.Error().Err(err).Msg("socket mode: slack refused SLACK_APP_TOKEN; stopping")
				return err
			}
			if ctx.Err() != nil {
				return nil
			}
			wait := max(c.backoff(fails), retryAfter(err))
			fails++
			c.o.Logger.Warn().Err(err).Dur("retry_in", wait).Int("attempt", fails).Msg("socket mode: could not connect")
			sleep(ctx, wait)
			continue
		}
		next := make(chan ending, 1)
		c.readers.Add(1)
		go func() {
			defer c.readers.Done()
			c.read(ctx, cn, out, next)
		}()
		var end ending
		select {
		case <-ctx.Done():
			return nil
		case end = <-next:
		}
		if end.hello {
			fails = 0
		}
		if end.backoff || !end.hello {
			wait := c.backoff(fails)
			fails++
			sleep(ctx, wait)
		}
	}
	return nil
}

// ending is why a connection asked for its successor.
type ending struct {
	reason  string
	hello   bool // the connection had been greeted: it worked
	backoff bool // wait before connecting again
}

// backoff is the wait after n consecutive failures: exponential, capped,
// with jitter so that replicas do not reconnect in step.
func (c *Client) backoff(n int) time.Duration {
	d := c.o.BackoffMin << min(n, 20)
	if d <= 0 || d > c.o.BackoffMax {
		d = c.o.BackoffMax
	}
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
