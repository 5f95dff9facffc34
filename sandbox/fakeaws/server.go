// Package fakeaws is a stateful stand-in for AWS IAM and STS that speaks the
// AWS query protocol, so the real aws-sdk-go-v2 clients can run against it
// in tests and in the sandbox.
//
// It also speaks the JSON 1.1 protocol (X-Amz-Target) of IAM Identity
// Center (Identity Store and SSO Admin) and of AWS Organizations.
//
// One Server hosts several simulated AWS accounts. A request's account is
// the one its SigV4 access key belongs to; the signature is checked for
// keys whose secret the server knows (SetSecret, and every key AssumeRole
// hands out). AssumeRole hands out keys that belong to the role's account. The server
// keeps a log of every call and can inject throttling, failures, latency
// and held calls on demand. It must not know anything about offboard.
package fakeaws

import (
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// Clock stamps creation dates, report times and the call log;
	// time.Now when nil.
	Clock func() time.Time
	// ReportPolls is how many GenerateCredentialReport or
	// GetCredentialReport calls after the one that started a report still
	// find it in progress. Zero makes the report ready on the next call.
	ReportPolls int
	// ReportDelay is how long (by Clock) a report takes at least.
	ReportDelay time.Duration
	// AsyncPolls is how many status reads an Identity Center account
	// assignment deletion or permission set provisioning stays
	// IN_PROGRESS before it ends.
	AsyncPolls int
	// Seed seeds the random choice of fractional faults.
	Seed int64
}

// Server is the fake IAM and STS endpoint; it is an http.Handler.
type Server struct {
	opts  Options
	clock func() time.Time

	mu       sync.Mutex
	accounts map[string]*account
	creds    map[string]principal // access key ID → who signs with it
	secrets  map[string]string    // access key ID → secret, for the keys whose signatures are checked
	loops    map[string]bool      // actions whose listings hand back the same page token forever
	org      *organization
	idc      *identityCenter
	seq      int64 // ID and request-ID generator
	faults   []*faultState
	gates    []*Gate
	latency  time.Duration
	rnd      *rand.Rand
	calls    []Call

	inFlight    atomic.Int64
	maxInFlight atomic.Int64
}

// principal is the identity behind a set of credentials.
type principal struct {
	account string
	arn     string
	userID  string
}

// New returns an empty Server; add accounts and credentials before use.
func New(opts Options) *Server {
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	return &Server{
		opts:     opts,
		clock:    clock,
		accounts: map[string]*account{},
		creds:    map[string]principal{},
		secrets:  map[string]string{},
		loops:    map[string]bool{},
		rnd:      rand.New(rand.NewSource(opts.Seed)),
	}
}

// ServeHTTP answers one query-protocol request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}

	if r.Method != http.MethodPost {
		writeError(w, "", &apiError{Status: http.StatusMethodNotAllowed, Code: "InvalidAction", Message: "only POST is supported"})
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		writeError(w, "", errValidation("unreadable body"))
		return
	}
	akid, service := parseAuthorization(r.Header.Get("Authorization"))
	badSig := !s.signatureOK(r, raw, akid)
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		s.serveJSON(w, r, raw, target, akid, badSig)
		return
	}
	form, err := url.ParseQuery(string(raw))
	if err != nil {
		writeError(w, "", errValidation("malformed form body"))
		return
	}
	action := form.Get("Action")
	if service == "" {
		service = serviceOf(action)
	}

	if !s.wait(r, action) {
		return // the client went away while the call was delayed or held
	}

	body, requestID, apiErr := s.serve(form, service, action, akid, badSig)
	if apiErr != nil {
		writeError(w, requestID, apiErr)
		return
	}
	writeResult(w, service, action, requestID, body)
}

// maxBody bounds a request body; the SDK never sends more than a few KB.
const maxBody = 1 << 20

// serve runs one call against the state and logs it, under s.mu; the
// answer is written afterwards, so a large report does not hold the lock.
func (s *Server) serve(form url.Values, service, action, akid string, badSig bool) (string, string, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &call{srv: s, params: form, now: s.clock(), akid: akid, action: action}
	rec := Call{At: c.now, Service: service, Action: action, AccessKeyID: akid, Params: cleanParams(form), Status: http.StatusOK}
	body, apiErr := s.dispatch(c, service, action, badSig)
	if c.acct != nil {
		rec.Account = c.acct.id
	}
	if apiErr != nil {
		rec.Status, rec.Code = apiErr.Status, apiErr.Code
	}
	s.calls = append(s.calls, rec)
	return body, s.requestID(), apiErr
}

// dispatch authenticates the call, applies faults and runs the operation.
// It runs with s.mu held.
func (s *Server) dispatch(c *call, service, action string, badSig bool) (string, *apiError) {
	p, ok := s.creds[c.akid]
	if !ok {
		return "", &apiError{Status: http.StatusForbidden, Code: "InvalidClientTokenId",
			Message: "The security token included in the request is invalid."}
	}
	if badSig {
		return "", &apiError{Status: http.StatusForbidden, Code: "SignatureDoesNotMatch", Message: msgBadSignature}
	}
	c.who = p
	c.acct = s.accounts[p.account]
	if f := s.fault(service, action); f != nil {
		return "", f
	}
	op := iamOp(action)
	if service == "sts" {
		op = stsOp(action)
	}
	if op == nil {
		return "", &apiError{Status: http.StatusBadRequest, Code: "InvalidAction",
			Message: "Could not find operation " + action + " for version " + versionOf(service)}
	}
	if c.acct.denied[service+":"+action] {
		return "", &apiError{Status: http.StatusForbidden, Code: "AccessDenied",
			Message: "User: " + p.arn + " is not authorized to perform: " + service + ":" + action}
	}
	w := &xmlw{}
	if err := op(c, w); err != nil {
		return "", err
	}
	return w.String(), nil
}

// call is one request being served, with s.mu held.
type call struct {
	srv    *Server
	action string
	acct   *account
	who    principal
	akid   string
	params map[string][]string
	now    time.Time
}

func (c *call) param(name string) string {
	if v := c.params[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// parseAuthorization pulls the access key ID and the service out of a SigV4
// Authorization header ("… Credential=AKID/date/region/service/aws4_request, …").
func parseAuthorization(h string) (akid, service string) {
	_, rest, ok := strings.Cut(h, "Credential=")
	if !ok {
		return "", ""
	}
	cred, _, _ := strings.Cut(rest, ",")
	parts := strings.Split(strings.TrimSpace(cred), "/")
	if len(parts) >= 4 {
		service = parts[3]
	}
	return parts[0], service
}

func serviceOf(action string) string {
	if stsOp(action) != nil {
		return "sts"
	}
	return "iam"
}

func versionOf(service string) string {
	if service == "sts" {
		return "2011-06-15"
	}
	return "2010-05-08"
}
