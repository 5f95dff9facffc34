package fakeaws

import (
	"net/url"
	"slices"
	"time"
)

// Call is one request the server answered.
type Call struct {
	At          time.Time
	Service     string // "iam", "sts", "identitystore", "sso" or "organizations"
	Action      string
	Account     string // empty when the credentials were unknown
	AccessKeyID string
	// Params are the request's form values without Action and Version
	// (query protocol: IAM, STS).
	Params url.Values
	// Body is the request's JSON body (JSON protocol: Identity Store,
	// SSO Admin, Organizations).
	Body string
	// Answer is what an asynchronous status read answered (IN_PROGRESS,
	// SUCCEEDED, FAILED), so that a test can see a request followed.
	Answer string
	Status int
	// Code is the error code; empty on success.
	Code string
}

// Calls returns a copy of the call log, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Count returns how many calls of action were answered (of any action in
// the service when action is empty, of anything when both are).
func (s *Server) Count(service, action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if (service == "" || c.Service == service) && (action == "" || c.Action == action) {
			n++
		}
	}
	return n
}

// ResetCalls empties the call log and the in-flight high-water mark.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
	s.maxInFlight.Store(s.inFlight.Load())
}

// MaxInFlight is the largest number of calls the server was serving at
// once (including their latency) since the last ResetCalls.
func (s *Server) MaxInFlight() int { return int(s.maxInFlight.Load()) }

func cleanParams(form url.Values) url.Values {
	p := make(url.Values, len(form))
	for k, v := range form {
		if k != "Action" && k != "Version" {
			p[k] = slices.Clone(v)
		}
	}
	return p
}
