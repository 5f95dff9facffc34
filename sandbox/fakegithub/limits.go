package fakegithub

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// limitState holds the per-token rate-limit windows and the limits tests
// force on.
type limitState struct {
	mu       sync.Mutex
	limit    map[string]int // by resource
	buckets  map[string]*bucket
	forced   map[string]forcedLimit // primary limit by resource
	secRoute string
	secUntil time.Time
	secCode  int
	secBare  bool // answer with the body alone: no retry-after, a generic documentation URL
	// points is the secondary budget per principal and minute (0: off);
	// spent holds what each used.
	points int
	spent  map[string]*bucket
}

type bucket struct {
	used    int
	resetAt time.Time
}

type forcedLimit struct {
	until  time.Time
	status int
}

// rateInfo is what the x-ratelimit-* headers say.
type rateInfo struct {
	limit, remaining, used int
	reset                  time.Time
	resource               string
}

func (l *limitState) init(core, graphql, points int) {
	l.points, l.spent = max(points, 0), map[string]*bucket{}
	if core <= 0 {
		core = 5000
	}
	if graphql <= 0 {
		graphql = 5000
	}
	l.limit = map[string]int{"core": core, "graphql": graphql}
	l.buckets = map[string]*bucket{}
	l.forced = map[string]forcedLimit{}
}

// window returns key's bucket for resource, starting a new hour when the
// last one has passed. Reset times are whole seconds, as on the wire, so a
// client that waits for the header's reset is never early.
func (l *limitState) window(now time.Time, key, resource string) *bucket {
	b := l.buckets[key+"/"+resource]
	if b == nil {
		b = &bucket{}
		l.buckets[key+"/"+resource] = b
	}
	if !now.Before(b.resetAt) {
		b.used, b.resetAt = 0, ceilSecond(now.Add(time.Hour))
	}
	return b
}

func (l *limitState) charge(now time.Time, key, resource string, cost int) rateInfo {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.window(now, key, resource)
	b.used += cost
	info := rateInfo{limit: l.limit[resource], used: b.used, reset: b.resetAt, resource: resource}
	info.remaining = max(info.limit-b.used, 0)
	if f, ok := l.forced[resource]; ok && now.Before(f.until) {
		info.remaining, info.reset = 0, f.until
	}
	return info
}

func (ri rateInfo) stamp(h http.Header) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(ri.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(ri.remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(ri.used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(ri.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", ri.resource)
}

func ceilSecond(t time.Time) time.Time {
	if t.Equal(t.Truncate(time.Second)) {
		return t
	}
	return t.Truncate(time.Second).Add(time.Second)
}

// PrimaryLimit exhausts the primary rate limit of resource ("core" or
// "graphql") for every token until resetIn from now: calls get status
// (403 when zero) with x-ratelimit-remaining 0 and the reset time.
func (s *Server) PrimaryLimit(resource string, resetIn time.Duration, status int) {
	if status == 0 {
		status = http.StatusForbidden
	}
	s.limits.mu.Lock()
	defer s.limits.mu.Unlock()
	s.limits.forced[resource] = forcedLimit{until: ceilSecond(s.now().Add(resetIn)), status: status}
}

// limitedPrimary answers the call with a primary-limit error when the
// caller's window is spent or a test forced the limit.
func (s *Server) limitedPrimary(rw *respWriter) bool {
	now := s.now()
	s.limits.mu.Lock()
	b := s.limits.window(now, rw.key, rw.resource)
	status, reset := 0, b.resetAt
	if b.used >= s.limits.limit[rw.resource] {
		status = http.StatusForbidden
	}
	if f, ok := s.limits.forced[rw.resource]; ok && now.Before(f.until) {
		status, reset = f.status, f.until
	}
	s.limits.mu.Unlock()
	if status == 0 || !rw.charge {
		return false
	}
	rw.charge = false // a refused call does not count
	h := rw.Header()
	rateInfo{limit: s.limits.limit[rw.resource], used: s.limits.limit[rw.resource], reset: reset, resource: rw.resource}.stamp(h)
	writeMessage(rw, status, "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID FAKE.", docPrimary)
	return true
}

// RateRemaining is what x-ratelimit-remaining would say now for the
// token's resource window.
func (s *Server) RateRemaining(token, resource string) int {
	p := s.principalFor(token)
	if p == nil {
		return 0
	}
	s.limits.mu.Lock()
	defer s.limits.mu.Unlock()
	b := s.limits.window(s.now(), p.key(), resource)
	return max(s.limits.limit[resource]-b.used, 0)
}

func (s *Server) getRateLimit(w http.ResponseWriter, r *http.Request) {
	rw := reqState(r)
	now := s.now()
	res := map[string]any{}
	for _, name := range []string{"core", "graphql"} {
		ri := s.limits.charge(now, rw.key, name, 0)
		res[name] = map[string]any{
			"limit": ri.limit, "remaining": ri.remaining, "used": ri.used,
			"reset": ri.reset.Unix(), "resource": name,
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"resources": res, "rate": res["core"]})
}
