package github

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/offboard/offboard/connectors"
)

type opKey struct{}

// withOp names the operation for the observer of the calls made under ctx.
func withOp(ctx context.Context, op string) context.Context {
	return context.WithValue(ctx, opKey{}, op)
}

// meter is the bottom of the connector's transport: every network call,
// retries and token exchanges included, passes the rate limiter of its
// API (REST or GraphQL) and the concurrency cap, and is reported to the
// observer. The limiters count GitHub's secondary-limit points, not
// calls: a REST read costs 1 point and a write (POST, PATCH, PUT, DELETE)
// 5, against 900 points a minute per endpoint; a GraphQL query costs 1.
type meter struct {
	next    http.RoundTripper
	rest    *rate.Limiter
	graphql *rate.Limiter
	slots   chan struct{}
	obs     connectors.Observer
}

func newMeter(next http.RoundTripper, o Options) *meter {
	if next == nil {
		next = http.DefaultTransport
	}
	return &meter{
		next:    next,
		rest:    rate.NewLimiter(rate.Limit(o.RESTRate), o.Burst),
		graphql: rate.NewLimiter(rate.Limit(o.GraphQLRate), o.Burst),
		slots:   make(chan struct{}, o.MaxConcurrency),
		obs:     o.Observer,
	}
}

func (m *meter) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	lim := m.rest
	if strings.HasSuffix(req.URL.Path, "/graphql") {
		lim = m.graphql
	}
	if err := lim.WaitN(ctx, pointsOf(req)); err != nil {
		return nil, err
	}
	select {
	case m.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-m.slots }()
	start := time.Now()
	resp, err := m.next.RoundTrip(req)
	op, _ := ctx.Value(opKey{}).(string)
	if op == "" {
		op = req.Method + " " + req.URL.Path
	}
	m.obs.Observe(connectors.GitHub, op, time.Since(start), statusError(op, resp, err))
	return resp, err
}

// writePoints is what GitHub charges a REST write against the secondary
// limit.
const writePoints = 5

// pointsOf is the secondary-limit cost of req. GraphQL queries are POSTs
// but cost a point each unless they mutate, and offboard sends none that do.
func pointsOf(req *http.Request) int {
	if strings.HasSuffix(req.URL.Path, "/graphql") {
		return 1
	}
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return 1
	}
	return writePoints
}

// statusError gives the observer a typed error for a failed call: the
// transport's own, or one whose kind follows the HTTP status.
func statusError(op string, resp *http.Response, err error) error {
	if err != nil {
		return &connectors.Error{System: connectors.GitHub, Op: op, Kind: connectors.KindRetryable, Err: err}
	}
	if resp.StatusCode < 400 {
		return nil
	}
	kind := kindOfStatus(resp.StatusCode)
	if resp.StatusCode == http.StatusForbidden && (resp.Header.Get("X-RateLimit-Remaining") == "0" || resp.Header.Get("Retry-After") != "" || secondaryInBody(resp)) {
		kind = connectors.KindRetryable // a rate limit, not a missing permission
	}
	return &connectors.Error{System: connectors.GitHub, Op: op, Kind: kind, Err: httpStatus(resp.StatusCode)}
}

// secondaryInBody says whether a 403's body speaks of a secondary rate
// limit, leaving the body readable for go-github. Error bodies are short;
// only the first 4 KiB are looked at.
func secondaryInBody(resp *http.Response) bool {
	if resp.Body == nil {
		return false
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	return err == nil && bytes.Contains(bytes.ToLower(head), []byte("secondary rate limit"))
}

// httpStatus is an HTTP status as an error.
type httpStatus int

func (s httpStatus) Error() string { return "http " + http.StatusText(int(s)) }

func kindOfStatus(code int) connectors.ErrorKind {
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return connectors.KindPermission
	case code == http.StatusNotFound:
		return connectors.KindNotFound
	case code == http.StatusTooManyRequests || code >= 500:
		return connectors.KindRetryable
	}
	return connectors.KindUnknown
}

// bearer adds a token to each request; token is asked per request so that
// an App's installation token can be refreshed underneath.
type bearer struct {
	next  http.RoundTripper
	token func(ctx context.Context) (string, error)
}

func (b *bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := b.token(req.Context())
	if err != nil {
		return nil, err
	}
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+tok)
	return b.next.RoundTrip(req)
}
