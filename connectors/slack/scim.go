package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/offboard/offboard/connectors"
)

// errNoSCIMToken is the cause when SCIM is on but no token was given.
var errNoSCIMToken = errors.New("no SCIM token: set SLACK_SCIM_TOKEN")

// scimStatusError is a SCIM answer that was not a success.
type scimStatusError struct {
	Status     int
	RetryAfter time.Duration
}

func (e *scimStatusError) Error() string {
	return fmt.Sprintf("scim answered %d %s", e.Status, http.StatusText(e.Status))
}

// deactivate turns the account off with SCIM: GET first, so that an account
// already off is AlreadyGone, then DELETE /Users/{id}.
func (c *Connector) deactivate(ctx context.Context, userID string) (connectors.Outcome, error) {
	const op = "deactivate account"
	if c.scim.Token == "" {
		return 0, &connectors.Error{System: connectors.Slack, Op: op, Kind: connectors.KindConfig, Err: errNoSCIMToken}
	}
	var user struct {
		Active bool `json:"active"`
	}
	status, err := c.scimDo(ctx, "scim get user", http.MethodGet, "Users/"+url.PathEscape(userID), &user)
	switch {
	case status == http.StatusNotFound:
		return connectors.AlreadyGone, nil
	case err != nil:
		return 0, scimError(op, err)
	case !user.Active:
		return connectors.AlreadyGone, nil
	}
	status, err = c.scimDo(ctx, "scim delete user", http.MethodDelete, "Users/"+url.PathEscape(userID), nil)
	switch {
	case status == http.StatusNotFound:
		return connectors.AlreadyGone, nil
	case status == http.StatusForbidden:
		// The token was good for the GET: this is SCIM's rule on whom it
		// may deactivate, which no retry changes.
		return 0, &connectors.Error{System: connectors.Slack, Op: op, Kind: connectors.KindDecision, Err: ErrSCIMRefused}
	case err != nil:
		return 0, scimError(op, err)
	}
	return connectors.Revoked, nil
}

// scimDo sends one SCIM request under the SCIM limiters, waits out a short
// Retry-After, and decodes a JSON answer into out when given.
func (c *Connector) scimDo(ctx context.Context, op, method, path string, out any) (int, error) {
	lim := c.lim.scimRead
	if method != http.MethodGet {
		lim = c.lim.scimWrite
	}
	for attempt := 1; ; attempt++ {
		if err := lim.Wait(ctx); err != nil {
			return 0, err
		}
		start := time.Now()
		status, err := c.scimOnce(ctx, method, path, out)
		c.opts.Observer.Observe(connectors.Slack, op, time.Since(start), err)
		var se *scimStatusError
		if !errors.As(err, &se) || se.Status != http.StatusTooManyRequests ||
			attempt >= maxAttempts || se.RetryAfter > c.opts.MaxWait {
			return status, err
		}
		if err := connectors.Sleep(ctx, se.RetryAfter); err != nil {
			return 0, err
		}
	}
}

func (c *Connector) scimOnce(ctx context.Context, method, path string, out any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.scim.BaseURL+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.scim.Token)
	req.Header.Set("Accept", "application/json")
	resp, err := c.scim.HTTPClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return resp.StatusCode, &scimStatusError{Status: resp.StatusCode, RetryAfter: time.Duration(secs) * time.Second}
	}
	if out != nil {
		if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(out); err != nil {
			return resp.StatusCode, fmt.Errorf("decode scim answer: %w", err)
		}
	}
	return resp.StatusCode, nil
}

func scimError(op string, err error) error {
	ce := &connectors.Error{System: connectors.Slack, Op: op, Kind: connectors.KindRetryable, Err: err}
	var se *scimStatusError
	if errors.As(err, &se) {
		ce.Kind, ce.RetryAfter = statusKind(se.Status), se.RetryAfter
		if se.Status == http.StatusBadRequest {
			ce.Kind = connectors.KindUnknown
		}
	}
	return ce
}
