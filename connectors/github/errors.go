package github

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// classify turns what go-github, GraphQL or the network returned into a
// *connectors.Error for op. An error that already is one keeps its kind.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *connectors.Error
	if errors.As(err, &ce) {
		if ce.Op == op {
			return ce
		}
		return &connectors.Error{System: connectors.GitHub, Op: op, Kind: ce.Kind, RetryAfter: ce.RetryAfter, Err: err}
	}
	e := &connectors.Error{System: connectors.GitHub, Op: op, Kind: connectors.KindUnknown, Err: err}
	var rle *gh.RateLimitError
	var abuse *gh.AbuseRateLimitError
	var gerr *graphQLErrors
	switch {
	case errors.As(err, &rle), errors.As(err, &abuse), secondaryBody(err):
		e.Kind = connectors.KindRetryable
		if d, ok := limitWait(err); ok {
			e.RetryAfter = d
		}
	case statusOf(err) != 0:
		e.Kind = kindOfStatus(statusOf(err))
		if statusOf(err) == http.StatusTooManyRequests {
			e.RetryAfter, _ = limitWait(err)
		}
	case errors.As(err, &gerr):
		e.Kind = gerr.kind()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		e.Kind = connectors.KindRetryable
	case errors.As(err, new(*url.Error)), errors.As(err, new(net.Error)):
		e.Kind = connectors.KindRetryable // the network, worth another try
	}
	return e
}

// notFound says whether err is GitHub's 404.
func notFound(err error) bool { return connectors.KindOf(err) == connectors.KindNotFound }
