package fakeaws

import (
	"net/http"
	"sync"
	"time"
)

// Fault makes matching calls fail instead of running.
type Fault struct {
	// Service ("iam", "sts") and Action narrow the calls that fail; empty
	// matches every service or action.
	Service string
	Action  string
	// Times is how many matching calls fail; zero means no limit, which
	// only makes sense with Fraction.
	Times int
	// Fraction, when above zero, fails only that share of matching calls
	// (chosen with Options.Seed).
	Fraction float64
	Status   int
	Code     string
	Message  string
}

type faultState struct {
	Fault
	left int
}

// AddFault installs f; faults are tried in the order they were added.
func (s *Server) AddFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultState{Fault: f, left: f.Times})
}

// Throttle makes the next n IAM calls fail the way IAM throttles:
// HTTP 400, code Throttling, "Rate exceeded".
func (s *Server) Throttle(n int) {
	s.AddFault(Fault{Service: "iam", Times: n, Status: http.StatusBadRequest, Code: "Throttling", Message: "Rate exceeded"})
}

// FailNext makes the next n IAM calls fail with a 500 ServiceFailure.
func (s *Server) FailNext(n int) {
	s.AddFault(Fault{Service: "iam", Times: n, Status: http.StatusInternalServerError, Code: "ServiceFailure",
		Message: "Request processing has failed because of an unknown error, exception or failure."})
}

// ClearFaults removes every fault, delay and held call.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	gates := s.gates
	s.faults, s.gates, s.latency = nil, nil, 0
	s.mu.Unlock()
	for _, g := range gates {
		g.Release()
	}
}

// SetLatency delays every call by d before it is served.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// fault returns the error of the first matching fault; s.mu must be held.
func (s *Server) fault(service, action string) *apiError {
	for i, f := range s.faults {
		if (f.Service != "" && f.Service != service) || (f.Action != "" && f.Action != action) {
			continue
		}
		if f.Fraction > 0 && s.rnd.Float64() >= f.Fraction {
			continue
		}
		if f.Times > 0 {
			f.left--
			if f.left <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &apiError{Status: f.Status, Code: f.Code, Message: f.Message}
	}
	return nil
}

// Gate holds calls of one action open until released.
type Gate struct {
	action      string
	arrivedOnce sync.Once
	arrived     chan struct{}
	releaseOnce sync.Once
	release     chan struct{}
}

// Hold holds every call of action (any service) until the gate is released.
func (s *Server) Hold(action string) *Gate {
	g := &Gate{action: action, arrived: make(chan struct{}), release: make(chan struct{})}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gates = append(s.gates, g)
	return g
}

// Arrived is closed once a call is being held.
func (g *Gate) Arrived() <-chan struct{} { return g.arrived }

// Release lets held and later calls through.
func (g *Gate) Release() { g.releaseOnce.Do(func() { close(g.release) }) }

// wait applies the latency and any gate for action; it reports false when
// the client gave up meanwhile.
func (s *Server) wait(r *http.Request, action string) bool {
	s.mu.Lock()
	d := s.latency
	var gates []*Gate
	for _, g := range s.gates {
		if g.action == action {
			gates = append(gates, g)
		}
	}
	s.mu.Unlock()

	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return false
		}
	}
	for _, g := range gates {
		g.arrivedOnce.Do(func() { close(g.arrived) })
		select {
		case <-g.release:
		case <-r.Context().Done():
			return false
		}
	}
	return true
}

// ThrottleJSON makes the next n calls to a JSON service ("identitystore",
// "sso", "organizations") fail the way it throttles: HTTP 429 with
// ThrottlingException (Organizations: TooManyRequestsException).
func (s *Server) ThrottleJSON(service string, n int) {
	code := "ThrottlingException"
	if service == "organizations" {
		code = "TooManyRequestsException"
	}
	s.AddFault(Fault{Service: service, Times: n, Status: http.StatusTooManyRequests, Code: code, Message: "Rate exceeded"})
}
