package fakegithub

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// faultState holds the faults tests inject: latency, server errors and
// held calls.
type faultState struct {
	mu           sync.Mutex
	latency      time.Duration
	routeLatency map[string]time.Duration
	failures     []failure
	holds        []*Hold
	loops        map[string]bool
	slowUsers    []string
	cursorLoop   bool
}

// LoopCursors makes every GraphQL connection say it has a next page whose
// cursor is always the same: the GraphQL form of LoopPages.
func (s *Server) LoopCursors() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.cursorLoop = true
}

func (f *faultState) loopingCursors() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cursorLoop
}

// TimeOutQueriesAbout makes every GraphQL query that asks about login
// (user(login: "login")) fail as GitHub fails a query that ran out of
// time: 502 with {"data": null, "errors": [{"message": "Something went
// wrong while executing your query. This may be the result of a
// timeout…"}]}. Queries about other users are answered.
func (s *Server) TimeOutQueriesAbout(login string) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.slowUsers = append(s.faults.slowUsers, login)
}

func (f *faultState) timesOut(query string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, l := range f.slowUsers {
		if strings.Contains(query, `user(login: "`+l+`")`) {
			return true
		}
	}
	return false
}

// LoopPages makes every page of route link rel="next" back to page 1 and
// name no last page: a server sending its client round in a circle, which
// a careful client notices instead of walking forever.
func (s *Server) LoopPages(route string) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if s.faults.loops == nil {
		s.faults.loops = map[string]bool{}
	}
	s.faults.loops[route] = true
}

func (f *faultState) looping(route string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.loops[route]
}

type failure struct {
	route  string
	left   int
	status int
}

// SetLatency makes every call take at least d before it is answered.
func (s *Server) SetLatency(d time.Duration) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.latency = d
}

// SetRouteLatency makes calls to route take d, overriding SetLatency.
func (s *Server) SetRouteLatency(route string, d time.Duration) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if s.faults.routeLatency == nil {
		s.faults.routeLatency = map[string]time.Duration{}
	}
	s.faults.routeLatency[route] = d
}

// FailNext answers the next n calls to route ("" for any route) with
// status (502 when zero).
func (s *Server) FailNext(route string, n, status int) {
	if status == 0 {
		status = http.StatusBadGateway
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.failures = append(s.faults.failures, failure{route: route, left: n, status: status})
}

func (f *faultState) delay(ctx context.Context, route string) bool {
	f.mu.Lock()
	d, ok := f.routeLatency[route]
	if !ok {
		d = f.latency
	}
	f.mu.Unlock()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (f *faultState) serverError(route string) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.failures {
		fl := &f.failures[i]
		if fl.left > 0 && (fl.route == "" || fl.route == route) {
			fl.left--
			return fl.status, true
		}
	}
	return 0, false
}

// Hold keeps calls to one route open until released; crash tests use it
// to stop a client in the middle of a call.
type Hold struct {
	route    string
	arrived  chan struct{}
	released chan struct{}
	once     sync.Once
	mu       sync.Mutex
	held     int
	seen     bool
}

// HoldCalls holds every call to route ("" for any) until Release.
func (s *Server) HoldCalls(route string) *Hold {
	h := &Hold{route: route, arrived: make(chan struct{}), released: make(chan struct{})}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.holds = append(s.faults.holds, h)
	return h
}

// Arrived is closed when the first call is being held.
func (h *Hold) Arrived() <-chan struct{} { return h.arrived }

// Held is the number of calls waiting now.
func (h *Hold) Held() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.held
}

// Release lets every held call, and every later one, through.
func (h *Hold) Release() { h.once.Do(func() { close(h.released) }) }

// ReleaseAll releases every hold.
func (s *Server) ReleaseAll() {
	s.faults.mu.Lock()
	holds := s.faults.holds
	s.faults.holds = nil
	s.faults.mu.Unlock()
	for _, h := range holds {
		h.Release()
	}
}

// hold blocks while a hold on route is active; false when the client gave up.
func (f *faultState) hold(ctx context.Context, route string) bool {
	f.mu.Lock()
	var active []*Hold
	for _, h := range f.holds {
		if h.route == "" || h.route == route {
			active = append(active, h)
		}
	}
	f.mu.Unlock()
	for _, h := range active {
		if !h.wait(ctx) {
			return false
		}
	}
	return true
}

func (h *Hold) wait(ctx context.Context) bool {
	select {
	case <-h.released:
		return true
	default:
	}
	h.mu.Lock()
	h.held++
	if !h.seen {
		h.seen = true
		close(h.arrived)
	}
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.held--
		h.mu.Unlock()
	}()
	select {
	case <-h.released:
		return true
	case <-ctx.Done():
		return false
	}
}

// ClearFailures drops every failure FailNext installed that has not run out.
func (s *Server) ClearFailures() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.failures = nil
}
