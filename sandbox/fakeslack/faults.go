package fakeslack

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Fault is a misbehaviour injected into one method ("chat.postMessage",
// "apps.connections.open", "scim" for the SCIM endpoint, or "*" for every
// Web API method).
type Fault struct {
	// Status is the HTTP status to answer with (429, 500, 503 …). Zero
	// with Error set answers HTTP 200 {"ok":false,"error":Error}.
	Status int
	// RetryAfter is sent as Retry-After (whole seconds, rounded up) with a 429.
	RetryAfter time.Duration
	// Error is the ok:false error code when Status is zero.
	Error string
	// Latency delays the answer; with neither Status nor Error the call
	// then proceeds normally.
	Latency time.Duration
	// Times limits the fault to the next Times calls. For limits it to a
	// span from now. With both zero it lasts until ClearFaults.
	Times int
	For   time.Duration

	until time.Time
	used  int
}

// InjectFault adds a fault to a method; faults are tried in the order added.
func (s *Server) InjectFault(method string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.For > 0 {
		f.until = s.now().Add(f.For)
	}
	s.faults[method] = append(s.faults[method], &f)
}

// RateLimit answers the next n calls of method with 429 and Retry-After.
func (s *Server) RateLimit(method string, retryAfter time.Duration, n int) {
	s.InjectFault(method, Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter, Times: n})
}

// FailNext answers the next n calls of method with an HTTP status (5xx).
func (s *Server) FailNext(method string, status, n int) {
	s.InjectFault(method, Fault{Status: status, Times: n})
}

// AddLatency delays every call of method by d until ClearFaults.
func (s *Server) AddLatency(method string, d time.Duration) {
	s.InjectFault(method, Fault{Latency: d})
}

// RefuseConnections makes apps.connections.open fail with f for a while;
// e.g. Fault{Status: 503, For: time.Second} or Fault{Error: "invalid_auth"}.
func (s *Server) RefuseConnections(f Fault) { s.InjectFault("apps.connections.open", f) }

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = map[string][]*Fault{}
}

// takeFault returns the fault that applies to this call, consuming one use.
func (s *Server) takeFault(method string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, key := range []string{method, "*"} {
		list := s.faults[key]
		for i, f := range list {
			expired := (f.Times > 0 && f.used >= f.Times) || (!f.until.IsZero() && !now.Before(f.until))
			if expired {
				continue
			}
			f.used++
			if f.Times > 0 && f.used >= f.Times {
				s.faults[key] = append(list[:i:i], list[i+1:]...)
			}
			c := *f
			return &c
		}
	}
	return nil
}

// applyFault delays or fails the call as injected; it reports whether it
// answered the call itself.
func (s *Server) applyFault(ctx context.Context, w http.ResponseWriter, method string, call *Call) bool {
	f := s.takeFault(method)
	if f == nil {
		return false
	}
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-ctx.Done():
		case <-s.closing:
		}
		t.Stop()
	}
	switch {
	case f.Status != 0:
		if f.Status == http.StatusTooManyRequests && f.RetryAfter > 0 {
			secs := int((f.RetryAfter + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		call.Status = f.Status
		call.Error = http.StatusText(f.Status)
		s.record(*call)
		if f.Status == http.StatusTooManyRequests {
			writeJSON(w, f.Status, map[string]any{"ok": false, "error": "ratelimited"})
			return true
		}
		// Slack sends an HTML page with a 5xx.
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte("<html><body>" + http.StatusText(f.Status) + "</body></html>"))
		return true
	case f.Error != "":
		s.answer(w, call, nil, fail(f.Error))
		return true
	}
	return false
}
