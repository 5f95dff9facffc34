package socket

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/slack-go/slack"
)

// openTimeout bounds apps.connections.open; the dial has its own 45 s
// handshake timeout, as slack-go's.
const openTimeout = 30 * time.Second

// open asks Slack for a WebSocket URL and dials it.
func (c *Client) open(ctx context.Context) (*conn, error) {
	octx, cancel := context.WithTimeout(ctx, openTimeout)
	defer cancel()
	_, wsURL, err := c.o.API.StartSocketModeContext(octx)
	if err != nil {
		return nil, classify(err)
	}
	if c.o.DebugReconnects {
		if u, perr := url.Parse(wsURL); perr == nil {
			q := u.Query()
			q.Set("debug_reconnects", "true")
			u.RawQuery = q.Encode()
			wsURL = u.String()
		}
	}
	h := http.Header{}
	h.Set("Origin", "https://api.slack.com")
	ws, resp, err := c.dialer.DialContext(ctx, wsURL, h)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		// gorilla's and net's dial errors name the host, not the URL and
		// its single-use ticket.
		return nil, fmt.Errorf("dial socket mode: %w", err)
	}
	ws.SetReadLimit(c.o.ReadLimit)
	cn := &conn{id: int(c.seq.Add(1)), ws: ws}
	c.mu.Lock()
	c.conns[cn] = struct{}{}
	c.mu.Unlock()
	return cn, nil
}

// classify turns apps.connections.open's failures into kinds: the token
// errors slack-go treats as fatal, and an HTTP 404, are ErrInvalidAuth.
func classify(err error) error {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "invalid_auth", "not_authed", "account_inactive", "token_revoked":
			return fmt.Errorf("apps.connections.open: %s: %w", se.Err, ErrInvalidAuth)
		}
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) && sc.Code == http.StatusNotFound {
		return fmt.Errorf("apps.connections.open: HTTP 404: %w", ErrInvalidAuth)
	}
	return fmt.Errorf("apps.connections.open: %w", err)
}

// retryAfter is the wait a 429 asked for, or zero.
func retryAfter(err error) time.Duration {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return rl.RetryAfter
	}
	return 0
}
