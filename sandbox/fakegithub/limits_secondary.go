package fakegithub

import (
	"net/http"
	"strconv"
	"time"
)

// SecondaryLimit answers every call to route ("" for all routes) with
// status (403 when zero) and a retry-after header until retryAfter from
// now, as GitHub does when a client trips a secondary limit.
func (s *Server) SecondaryLimit(route string, retryAfter time.Duration, status int) {
	if status == 0 {
		status = http.StatusForbidden
	}
	s.limits.mu.Lock()
	defer s.limits.mu.Unlock()
	s.limits.secRoute, s.limits.secUntil, s.limits.secCode, s.limits.secBare = route, s.now().Add(retryAfter), status, false
}

// SecondaryLimitBodyOnly answers every call to route ("" for all) with a
// 403 whose body alone says "secondary rate limit", for d from now: no
// retry-after, x-ratelimit-remaining above zero, and a documentation URL
// go-github does not recognise. GitHub documents that retry-after comes
// with some secondary-limit refusals and not others, and clients must
// read such a 403 as a limit, not as a missing permission.
func (s *Server) SecondaryLimitBodyOnly(route string, d time.Duration) {
	s.limits.mu.Lock()
	defer s.limits.mu.Unlock()
	s.limits.secRoute, s.limits.secUntil, s.limits.secCode, s.limits.secBare = route, s.now().Add(d), http.StatusForbidden, true
}

// writePoints is what GitHub charges a REST write (POST, PATCH, PUT,
// DELETE) against the secondary limit; a read or a GraphQL query costs 1.
const writePoints = 5

func pointsOf(r *http.Request, route string) int {
	if route == RouteGraphQL {
		return 1
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return 1
	}
	return writePoints
}

// spendPoints charges a call's points to key's minute and says whether it
// is over GitHub's secondary budget of points per minute. A refused call
// is not charged.
func (l *limitState) spendPoints(now time.Time, key, resource string, cost int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.points == 0 || key == "" {
		return false
	}
	budget := l.points
	if resource == "graphql" {
		budget = l.points * 2000 / 900 // GitHub: 2,000 points a minute for GraphQL
	}
	b := l.spent[key+"/"+resource]
	if b == nil || !now.Before(b.resetAt) {
		b = &bucket{resetAt: now.Add(time.Minute)}
		l.spent[key+"/"+resource] = b
	}
	if b.used+cost > budget {
		return true
	}
	b.used += cost
	return false
}

func (s *Server) limitedSecondary(rw *respWriter, r *http.Request, route string) bool {
	now := s.now()
	s.limits.mu.Lock()
	until, code, bare, match := s.limits.secUntil, s.limits.secCode, s.limits.secBare, s.limits.secRoute == "" || s.limits.secRoute == route
	s.limits.mu.Unlock()
	// The points budget runs on the real clock: it limits how fast a
	// client sends, which a test's stopped clock must not turn into
	// "everything at once".
	if rw.charge && s.limits.spendPoints(time.Now(), rw.key, rw.resource, pointsOf(r, route)) {
		// Over the points budget: GitHub answers without retry-after, and
		// the client waits at least a minute.
		rw.charge = false
		writeMessage(rw, http.StatusForbidden, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", docSecondary)
		return true
	}
	if !match || !now.Before(until) {
		return false
	}
	if bare {
		writeMessage(rw, code, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID FAKE.", docREST)
		return true
	}
	secs := int(until.Sub(now).Seconds())
	if time.Duration(secs)*time.Second < until.Sub(now) {
		secs++
	}
	rw.charge = false
	rw.Header().Set("Retry-After", strconv.Itoa(secs))
	writeMessage(rw, code, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", docSecondary)
	return true
}
