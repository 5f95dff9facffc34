package fakegithub

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// supportedAPIVersions are the X-GitHub-Api-Version values GitHub accepts.
var supportedAPIVersions = map[string]bool{"2022-11-28": true}

// ServeHTTP runs one call through the fake's pipeline: log, latency, holds,
// injected server errors, API version, authentication, rate limits, and
// finally the route's handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, route := s.mux.Handler(r)
	at, wall := s.now(), time.Now()
	rw := &respWriter{ResponseWriter: w, s: s}
	defer func() { s.log.add(r, route, at, wall, rw.statusCode()) }()

	if route == "" {
		writeNotFound(rw)
		return
	}
	if !s.faults.delay(r.Context(), route) || !s.faults.hold(r.Context(), route) {
		rw.WriteHeader(499) // the client went away
		return
	}
	if status, ok := s.faults.serverError(route); ok {
		writeMessage(rw, status, "Server Error", "")
		return
	}
	if v := r.Header.Get("X-GitHub-Api-Version"); v != "" && !supportedAPIVersions[v] {
		writeMessage(rw, http.StatusBadRequest, "Unsupported 'X-GitHub-Api-Version' header. Supported versions are: 2022-11-28", docREST)
		return
	}
	p, status, msg := s.authenticate(r, route)
	if status != 0 {
		writeMessage(rw, status, msg, docREST)
		return
	}
	rw.charge = p != nil && route != RouteRateLimit
	rw.key, rw.resource, rw.cost, rw.principal, rw.route = p.key(), resourceOf(route), 1, p, route
	if s.limitedSecondary(rw, r, route) || s.limitedPrimary(rw) {
		return
	}
	ctx := context.WithValue(r.Context(), reqKey{}, rw)
	s.mux.ServeHTTP(rw, r.WithContext(ctx))
}

func resourceOf(route string) string {
	if route == RouteGraphQL {
		return "graphql"
	}
	return "core"
}

type reqKey struct{}

// reqState is the per-call state a handler reads: who is calling, and
// (for GraphQL) what the call costs.
func reqState(r *http.Request) *respWriter {
	rw, _ := r.Context().Value(reqKey{}).(*respWriter)
	return rw
}

// respWriter records the status for the call log and stamps rate-limit
// headers once, when the status is known, so that a 304 can go uncharged.
type respWriter struct {
	http.ResponseWriter
	s         *Server
	status    int
	charge    bool
	key       string
	resource  string
	cost      int
	principal *principal
	route     string
}

func (w *respWriter) WriteHeader(code int) {
	if w.status != 0 {
		return
	}
	w.status = code
	h := w.Header()
	if w.principal != nil {
		w.principal.stampHeaders(h)
	}
	if w.charge {
		cost := w.cost
		if code == http.StatusNotModified {
			cost = 0
		}
		rl := w.s.limits.charge(w.s.now(), w.key, w.resource, cost)
		rl.stamp(h)
	}
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	h.Set("X-GitHub-Request-Id", "FAKE:"+strconv.Itoa(code))
	w.ResponseWriter.WriteHeader(code)
}

func (w *respWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *respWriter) statusCode() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
