// Package fakegithub is a stateful GitHub organization server for tests and
// for the sandbox. The real go-github client and plain-HTTP GraphQL talk to
// it as they would to api.github.com: same paths, shapes, status codes,
// pagination, rate-limit headers and errors.
//
// It keeps orgs, members, teams, repositories, outside collaborators,
// invitations, repository invitations, deploy keys, Codespaces, SAML-SSO
// credential authorizations, fine-grained PATs, contributions, comments
// and SAML identities; it enforces GitHub's rate limits, including the
// secondary budget of points a minute; it can inject latency, rate
// limits, server errors, looping pages, GraphQL timeouts and held calls;
// and it logs every call. It knows nothing
// of offboard's connector beyond the wire.
package fakegithub

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Options configures a Server. The zero value is usable.
type Options struct {
	// Now is the server's clock (token expiry, rate-limit windows,
	// defaults for seeded times). Default time.Now.
	Now func() time.Time
	// CoreLimit is the REST requests per hour per token. Default 5000.
	CoreLimit int
	// GraphQLLimit is the GraphQL points per hour per token. Default 5000.
	GraphQLLimit int
	// SecondaryPoints turns on GitHub's secondary-limit budget per token
	// and minute of real time: a read or GraphQL query costs 1 point, a
	// REST write 5; GitHub's figure is 900 for REST (GraphQL gets 2,000 in
	// proportion). Zero leaves it off, so that tests and benchmarks that
	// configure their client past GitHub's pace are not throttled.
	SecondaryPoints int
}

// Server is the fake GitHub. It is an http.Handler; Start serves it on a
// loopback port. All methods are safe for concurrent use.
type Server struct {
	now  func() time.Time
	mux  *http.ServeMux
	http *httptest.Server

	mu     sync.Mutex
	nextID int64
	users  map[string]*user // by lower login
	orgs   map[string]*org  // by lower login
	// comments are every issue and pull-request comment, oldest first.
	comments []comment
	auth     authState
	limits   limitState
	faults   faultState
	log      callLog
}

// New returns a Server with no state and no listener.
func New(opts Options) *Server {
	s := &Server{
		now:   opts.Now,
		users: map[string]*user{},
		orgs:  map[string]*org{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.auth.init()
	s.limits.init(opts.CoreLimit, opts.GraphQLLimit, opts.SecondaryPoints)
	s.mux = http.NewServeMux()
	s.routes()
	return s
}

// Start serves the Server on a loopback port and returns its base URL
// (without trailing slash). Close stops it.
func (s *Server) Start() string {
	s.http = httptest.NewServer(s)
	return s.http.URL
}

// URL is the base URL Start returned.
func (s *Server) URL() string { return s.http.URL }

// APIURL is the REST base URL with the trailing slash go-github needs.
func (s *Server) APIURL() string { return s.http.URL + "/" }

// GraphQLURL is the GraphQL endpoint.
func (s *Server) GraphQLURL() string { return s.http.URL + "/graphql" }

// Close releases every held call and stops the listener.
func (s *Server) Close() {
	s.ReleaseAll()
	if s.http != nil {
		s.http.Close()
	}
}

func (s *Server) id() int64 {
	s.nextID++
	return s.nextID
}
