package fakeslack

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Call is one Web API (or SCIM) request as the fake saw it.
type Call struct {
	Method string
	// Params are the arguments without the token: form fields as sent, JSON
	// body fields as their JSON text.
	Params map[string]string
	// TokenIn says where the token came from: "header", "form" or "".
	TokenIn string
	At      time.Time
	Status  int    // the HTTP status answered
	Error   string // the ok:false error, "" on success
}

// apiError is an ok:false answer. A non-zero status answers with that HTTP
// status instead of 200 (a 429 with Retry-After retryAfter seconds).
type apiError struct {
	code       string
	extra      map[string]any
	status     int
	retryAfter int
}

func fail(code string) *apiError { return &apiError{code: code} }

type handlerFunc func(s *Server, r *request) (map[string]any, *apiError)

// methodSpec says how one Web API method is authorised and answered.
type methodSpec struct {
	handle handlerFunc
	scope  string // the bot scope it needs; "" none
	app    bool   // takes the app-level token, in the header only
	// userScope is the user-token scope the method needs; with userOnly a
	// bot token gets not_allowed_token_type (the admin.* methods).
	userScope string
	userOnly  bool
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/link/", s.serveSocket)
	mux.HandleFunc("/response/", s.serveResponseURL)
	mux.HandleFunc("/scim/", s.serveSCIM)
	return mux
}

func (s *Server) serveAPI(w http.ResponseWriter, hr *http.Request) {
	name := strings.TrimPrefix(hr.URL.Path, "/api/")
	r, err := parseRequest(hr)
	call := Call{Method: name, At: s.now()}
	if err != nil {
		s.answer(w, &call, nil, fail("invalid_form_data"))
		return
	}
	call.Params, call.TokenIn = r.params(), r.tokenIn
	if stop := s.applyFault(hr.Context(), w, name, &call); stop {
		return
	}
	spec, ok := s.methods()[name]
	if !ok {
		s.answer(w, &call, nil, fail("unknown_method"))
		return
	}
	if ut, ok := s.userToken(r.token); ok {
		w.Header().Set("X-OAuth-Scopes", strings.Join(ut.scopes, ","))
	}
	if e := s.authorise(r, spec); e != nil {
		s.answer(w, &call, nil, e)
		return
	}
	body, e := spec.handle(s, r)
	s.answer(w, &call, body, e)
}

// authorise checks the token and the scope the method needs.
func (s *Server) authorise(r *request, spec methodSpec) *apiError {
	if spec.app {
		switch {
		case r.tokenIn != "header":
			return fail("not_authed")
		case r.token == s.opts.AppToken:
			return nil
		case r.token == s.opts.BotToken:
			return fail("not_allowed_token_type")
		}
		return fail("invalid_auth")
	}
	if ut, ok := s.userToken(r.token); ok {
		return s.authoriseUser(ut, spec)
	}
	switch {
	case r.token == "":
		return fail("not_authed")
	case spec.userOnly && r.token == s.opts.BotToken:
		return fail("not_allowed_token_type")
	case r.token == s.opts.AppToken:
		return fail("not_allowed_token_type")
	case r.token != s.opts.BotToken:
		return fail("invalid_auth")
	}
	if spec.scope != "" && !s.hasScope(spec.scope) {
		return &apiError{code: "missing_scope", extra: map[string]any{
			"needed": spec.scope, "provided": strings.Join(s.opts.Scopes, ","),
		}}
	}
	return nil
}

func (s *Server) hasScope(scope string) bool {
	for _, sc := range s.opts.Scopes {
		if sc == scope {
			return true
		}
	}
	return false
}

// answer writes the JSON reply the way Slack does (HTTP 200 either way) and
// logs the call.
func (s *Server) answer(w http.ResponseWriter, call *Call, body map[string]any, e *apiError) {
	if body == nil {
		body = map[string]any{}
	}
	if e != nil {
		body = map[string]any{"ok": false, "error": e.code}
		for k, v := range e.extra {
			body[k] = v
		}
		call.Error = e.code
	} else {
		body["ok"] = true
	}
	status := http.StatusOK
	if e != nil && e.status != 0 {
		status = e.status
		if e.retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
		}
	}
	call.Status = status
	s.record(*call)
	if w.Header().Get("X-OAuth-Scopes") == "" { // a user token's scopes are set by serveAPI
		w.Header().Set("X-OAuth-Scopes", strings.Join(s.opts.Scopes, ","))
	}
	writeJSON(w, status, body)
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.notifyLocked()
	s.mu.Unlock()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Calls returns every Web API and SCIM call so far, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the calls of one method.
func (s *Server) CallsTo(method string) []Call {
	var out []Call
	for _, c := range s.Calls() {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Warnings returns the warnings Slack gave the app (missing_text_in_blocks …).
func (s *Server) Warnings() []Warning {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Warning(nil), s.warnings...)
}

func (s *Server) warnLocked(method, code string) {
	s.warnings = append(s.warnings, Warning{Method: method, Code: code, At: s.now()})
}
