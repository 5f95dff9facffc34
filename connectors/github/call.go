package github

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// minSecondaryWait is GitHub's advice for a secondary limit that names no
// retry-after: wait at least a minute (GitHub's REST rate-limit documentation).
const minSecondaryWait = time.Minute

// pause is the moment until which no call may start, shared by all of a
// connector's calls: one call that learns of a rate limit holds the
// others back instead of letting them spend requests on refusals.
// Rate-limit resets are wall-clock epochs, and go-github's own local block
// compares them to time.Now, so the pause does too, not the injected clock.
type pause struct {
	mu    sync.Mutex
	until time.Time
}

func (p *pause) extend(t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.After(p.until) {
		p.until = t
	}
}

func (p *pause) left() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return time.Until(p.until)
}

// call runs fn, one GitHub API call, under the connector's rules: wait out
// a pause, wait and retry on a rate limit while the total wait stays
// within MaxRateWait, retry 5xx and network faults a few times with
// backoff, re-mint an App token GitHub refused once, and return failures
// as *connectors.Error.
func (c *Connector) call(ctx context.Context, op string, fn func(ctx context.Context) (*gh.Response, error)) (*gh.Response, error) {
	ctx = withOp(ctx, op)
	var waited time.Duration
	faults, reauthed := 0, false
	for {
		if d := c.pause.left(); d > 0 {
			if err := c.waitLimit(ctx, op, d, &waited, nil); err != nil {
				return nil, err
			}
		}
		callCtx, cancel := context.WithTimeout(ctx, c.opts.CallTimeout)
		resp, err := fn(callCtx)
		cancel()
		if resp != nil && resp.Rate.Limit > 0 && resp.Rate.Remaining == 0 && time.Now().Before(resp.Rate.Reset.Time) {
			c.pause.extend(resp.Rate.Reset.Time) // the next call would be refused
		}
		if err == nil || isAccepted(err) {
			return resp, nil
		}
		if d, limited := limitWait(err); limited {
			c.pause.extend(time.Now().Add(d))
			if err := c.waitLimit(ctx, op, d, &waited, err); err != nil {
				return resp, err
			}
			continue
		}
		if c.app != nil && !reauthed && statusOf(err) == http.StatusUnauthorized {
			reauthed = true
			c.app.Forget(c.app.current())
			continue
		}
		if transient(ctx, err) && faults < retriesFor(ctx, c.opts.Retries) {
			backoff := c.opts.RetryBackoff << faults
			backoff += time.Duration(rand.Int64N(int64(backoff)/2 + 1))
			faults++
			c.log.Warn().Str("op", op).Dur("backoff", backoff).Int("attempt", faults).Msg("github call failed, retrying")
			if err := connectors.Sleep(ctx, backoff); err != nil {
				return resp, classify(op, err)
			}
			continue
		}
		return resp, classify(op, err)
	}
}

// remove runs fn, one call that deletes a grant's access, and reads
// GitHub's 404 as the access being gone already: someone removed it by
// hand, or an earlier attempt did.
func (c *Connector) remove(ctx context.Context, op string, fn func(ctx context.Context) (*gh.Response, error)) (connectors.Outcome, error) {
	_, err := c.call(ctx, op, fn)
	switch {
	case notFound(err):
		return connectors.AlreadyGone, nil
	case err != nil:
		return 0, err
	}
	return connectors.Revoked, nil
}

// waitLimit sleeps d for a rate limit, or gives up with a retryable error
// carrying RetryAfter when d would take the operation past MaxRateWait or
// past its context's deadline.
func (c *Connector) waitLimit(ctx context.Context, op string, d time.Duration, waited *time.Duration, cause error) error {
	deadline, hasDeadline := ctx.Deadline()
	if *waited+d > c.opts.MaxRateWait || (hasDeadline && time.Now().Add(d).After(deadline)) {
		if cause == nil {
			cause = errors.New("rate limited")
		}
		return &connectors.Error{System: connectors.GitHub, Op: op, Kind: connectors.KindRetryable, RetryAfter: d, Err: cause}
	}
	c.log.Info().Str("op", op).Dur("wait", d).Msg("github rate limit, waiting")
	*waited += d
	if err := connectors.Sleep(ctx, d); err != nil {
		return classify(op, err)
	}
	return nil
}

// limitWait says whether err is a rate limit and how long to wait for it.
// go-github reports a primary limit as *RateLimitError (also when it
// refuses locally, without a call) and a secondary one on 403 as
// *AbuseRateLimitError; a 429 arrives as a plain *ErrorResponse.
func limitWait(err error) (time.Duration, bool) {
	var rle *gh.RateLimitError
	if errors.As(err, &rle) {
		return max(time.Until(rle.Rate.Reset.Time)+50*time.Millisecond, time.Second), true
	}
	var abuse *gh.AbuseRateLimitError
	if errors.As(err, &abuse) {
		if abuse.RetryAfter != nil && *abuse.RetryAfter > 0 {
			return *abuse.RetryAfter, true
		}
		return minSecondaryWait, true
	}
	var gqlLimit *graphQLRateLimited
	if errors.As(err, &gqlLimit) {
		return max(time.Until(gqlLimit.reset)+50*time.Millisecond, time.Second), true
	}
	if secondaryBody(err) {
		// A 403 whose body speaks of a secondary limit, with no header
		// and a documentation URL go-github does not recognise: GitHub's
		// advice for a secondary limit without retry-after is a minute.
		if s, err := strconv.Atoi(headerOf(err, "Retry-After")); err == nil && s > 0 {
			return time.Duration(s) * time.Second, true
		}
		return minSecondaryWait, true
	}
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil || er.Response.StatusCode != http.StatusTooManyRequests {
		return 0, false
	}
	h := er.Response.Header
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil {
		return time.Duration(s) * time.Second, true
	}
	if h.Get("X-RateLimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return max(time.Until(time.Unix(reset, 0))+50*time.Millisecond, time.Second), true
		}
	}
	return minSecondaryWait, true
}

func isAccepted(err error) bool {
	var ae *gh.AcceptedError
	return errors.As(err, &ae)
}

func statusOf(err error) int {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

// transient says whether err is worth an immediate retry: a 5xx or a
// network fault, but not the caller giving up.
func transient(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if code := statusOf(err); code != 0 {
		return code >= 500
	}
	var ce *connectors.Error
	if errors.As(err, &ce) {
		return ce.Kind == connectors.KindRetryable
	}
	return !errors.Is(err, context.Canceled)
}

// secondaryBody says whether err is a 403 whose message speaks of a
// secondary rate limit ("You have exceeded a secondary rate limit…").
// The body is the only sign GitHub always gives: retry-after is sent on
// some of these refusals and not others, and the documentation URL has
// changed over the years. This reads the protocol's text, not an error
// of our own.
func secondaryBody(err error) bool {
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil || er.Response.StatusCode != http.StatusForbidden {
		return false
	}
	return strings.Contains(strings.ToLower(er.Message), "secondary rate limit")
}

func headerOf(err error, name string) string {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.Header.Get(name)
	}
	return ""
}

type noRetryKey struct{}

// withoutRetries marks calls under ctx as not worth an immediate retry
// of the same request: a dormancy batch being split retries smaller
// queries instead of resending one that timed out.
func withoutRetries(ctx context.Context) context.Context {
	return context.WithValue(ctx, noRetryKey{}, true)
}

func retriesFor(ctx context.Context, n int) int {
	if off, _ := ctx.Value(noRetryKey{}).(bool); off {
		return 0
	}
	return n
}
