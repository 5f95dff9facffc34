package fakegithub

import (
	"net/http"
	"sync"
	"time"
)

// Call is one request the fake answered.
type Call struct {
	Method string
	Path   string
	Query  string
	// Route is the matched route constant (RouteMembers …); empty for an
	// unknown path.
	Route string
	// At is when the call arrived by the server's clock (Options.Now).
	At time.Time
	// Wall is when it arrived by the real clock, and Took how long it
	// took in real time, so that latency and overlap can be measured
	// while the server's clock stands still.
	Wall   time.Time
	Took   time.Duration
	Status int
}

// callLog is the append-only record of calls, with counts per route.
type callLog struct {
	mu     sync.Mutex
	calls  []Call
	counts map[string]int
}

func (l *callLog) add(r *http.Request, route string, at, wall time.Time, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.counts == nil {
		l.counts = map[string]int{}
	}
	l.calls = append(l.calls, Call{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Route: route,
		At: at, Wall: wall, Took: time.Since(wall), Status: status,
	})
	l.counts[route]++
}

// Calls returns a copy of the call log, oldest first.
func (s *Server) Calls() []Call {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return append([]Call(nil), s.log.calls...)
}

// CallCount is the number of calls to route so far.
func (s *Server) CallCount(route string) int {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return s.log.counts[route]
}

// CallCounts returns the number of calls per route.
func (s *Server) CallCounts() map[string]int {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	out := make(map[string]int, len(s.log.counts))
	for k, v := range s.log.counts {
		out[k] = v
	}
	return out
}

// TotalCalls is the number of calls of every route so far.
func (s *Server) TotalCalls() int {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return len(s.log.calls)
}

// ResetCalls empties the call log.
func (s *Server) ResetCalls() {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	s.log.calls, s.log.counts = nil, nil
}
