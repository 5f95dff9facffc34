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
	s.mu.Lock()
	s.arrived[method]++
	s.notifyLocked()
	s.mu.Unlock()
	s.checkRetryAfter(method, call.Params["channel"])
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
			s.mu.Lock()
			s.retryAfter.noteLocked(method, "", secs)
			s.mu.Unlock()
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

// Violation is a call made before the Retry-After of an earlier 429 had
// passed: a client that ignores Retry-After and calls again early. Slack
// answers it with another 429; repeated, it can cost the app its token.
type Violation struct {
	Method  string
	Channel string // for the per-channel chat.postMessage limit
	At      time.Time
	// Early is how much of the Retry-After was left.
	Early time.Duration
}

// retryAfterBook remembers, per method (and channel), until when a client
// was told to wait, and the calls that did not.
type retryAfterBook struct {
	until      map[string]time.Time
	violations []Violation
}

func retryKey(method, channel string) string { return method + " " + channel }

// noteLocked records a 429 with Retry-After secs; s.mu held. Retry-After is
// wall-clock time, whatever the fake's clock says.
func (b *retryAfterBook) noteLocked(method, channel string, secs int) {
	if b.until == nil {
		b.until = map[string]time.Time{}
	}
	b.until[retryKey(method, channel)] = time.Now().Add(time.Duration(secs) * time.Second)
}

// checkRetryAfter records a violation when a call comes before the wait
// its method, or its method in this channel, was told to keep.
func (s *Server) checkRetryAfter(method, channel string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	keys := []string{retryKey(method, "")}
	if channel != "" {
		keys = append(keys, retryKey(method, channel))
	}
	for i, k := range keys {
		if until, ok := s.retryAfter.until[k]; ok && now.Before(until) {
			v := Violation{Method: method, At: s.now(), Early: until.Sub(now)}
			if i == 1 {
				v.Channel = channel
			}
			s.retryAfter.violations = append(s.retryAfter.violations, v)
			s.notifyLocked()
			return
		}
	}
}

// Violations returns the calls made before their Retry-After had passed.
func (s *Server) Violations() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Violation(nil), s.retryAfter.violations...)
}

// Arrived is how many calls of method have arrived so far, counted as each
// arrives, before an injected latency holds it: the signal that a held
// call is being held (Calls records a call only once it is answered).
func (s *Server) Arrived(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.arrived[method]
}
