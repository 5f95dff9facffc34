package fakeaws

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// jsonOp serves one JSON 1.1 action: it reads c.in, changes state and
// returns the output object, or the error to answer with.
type jsonOp func(c *jcall) (map[string]any, *apiError)

// jcall is one JSON request being served, with s.mu held.
type jcall struct {
	srv    *Server
	action string
	acct   *account
	who    principal
	in     map[string]any
	now    time.Time
	// answer is logged as Call.Answer.
	answer string
}

// jsonServices maps the X-Amz-Target prefix of each JSON 1.1 API to the
// service name it signs for and that IAM policies use.
var jsonServices = map[string]string{
	"AWSIdentityStore":          "identitystore",
	"SWBExternalService":        "sso",
	"AWSOrganizationsV20161128": "organizations",
}

func jsonOpFor(service, action string) jsonOp {
	switch service {
	case "identitystore":
		return identityStoreOp(action)
	case "sso":
		return ssoAdminOp(action)
	case "organizations":
		return organizationsOp(action)
	}
	return nil
}

// serveJSON answers one JSON 1.1 request: POST /, a JSON body, the action
// in "X-Amz-Target: Prefix.Action".
func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, raw []byte, target, akid string, badSig bool) {
	prefix, action, _ := strings.Cut(target, ".")
	service := jsonServices[prefix]
	if !s.wait(r, action) {
		return
	}
	out, reqID, apiErr := s.serveJSONCall(raw, service, action, akid, badSig)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", reqID)
	if apiErr != nil {
		w.Header().Set("X-Amzn-Errortype", apiErr.Code)
		w.WriteHeader(apiErr.Status)
		_ = json.NewEncoder(w).Encode(map[string]any{"__type": apiErr.Code, "Message": apiErr.Message})
		return
	}
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(out)
}

func (s *Server) serveJSONCall(raw []byte, service, action, akid string, badSig bool) (map[string]any, string, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &jcall{srv: s, now: s.clock(), action: action}
	rec := Call{At: c.now, Service: service, Action: action, AccessKeyID: akid, Body: string(raw), Status: http.StatusOK}
	out, apiErr := s.dispatchJSON(c, raw, service, action, akid, badSig)
	if c.acct != nil {
		rec.Account = c.acct.id
	}
	if apiErr != nil {
		rec.Status, rec.Code = apiErr.Status, apiErr.Code
	}
	rec.Answer = c.answer
	s.calls = append(s.calls, rec)
	return out, s.requestID(), apiErr
}

func (s *Server) dispatchJSON(c *jcall, raw []byte, service, action, akid string, badSig bool) (map[string]any, *apiError) {
	p, ok := s.creds[akid]
	if !ok {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "UnrecognizedClientException",
			Message: "The security token included in the request is invalid."}
	}
	if badSig {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidSignatureException", Message: msgBadSignature}
	}
	c.who, c.acct = p, s.accounts[p.account]
	if f := s.fault(service, action); f != nil {
		return nil, f
	}
	op := jsonOpFor(service, action)
	if op == nil {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "UnknownOperationException", Message: "Unknown operation " + action}
	}
	if c.acct.denied[service+":"+action] {
		return nil, &apiError{Status: http.StatusForbidden, Code: "AccessDeniedException",
			Message: "User: " + p.arn + " is not authorized to perform: " + service + ":" + action}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&c.in); err != nil && len(bytes.TrimSpace(raw)) > 0 {
		return nil, errJSONValidation("malformed JSON body")
	}
	return op(c)
}

// str reads a string member; a path "A.B" reads a member of a member.
func (c *jcall) str(path string) string {
	var v any = c.in
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[k]
	}
	s, _ := v.(string)
	return s
}

// required returns the members named, or the ValidationException the
// service answers when one is missing.
func (c *jcall) required(names ...string) ([]string, *apiError) {
	out := make([]string, len(names))
	for i, n := range names {
		if out[i] = c.str(n); out[i] == "" {
			return nil, errJSONValidation(fmt.Sprintf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", n))
		}
	}
	return out, nil
}

// jsonPage cuts one page out of items: MaxResults (1 to limit, default
// def) and an opaque NextToken naming where the next page starts.
func jsonPage[T any](c *jcall, items []T, def, limit int) ([]T, map[string]any, *apiError) {
	n := def
	if v, ok := c.in["MaxResults"].(json.Number); ok {
		m, err := strconv.Atoi(v.String())
		if err != nil || m < 1 || m > limit {
			return nil, nil, errJSONValidation(fmt.Sprintf("1 validation error detected: Value '%s' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to %d", v, limit))
		}
		n = m
	}
	start := 0
	if tok := c.str("NextToken"); tok != "" {
		off, ok := decodeMarker(tok)
		if !ok || off > len(items) {
			return nil, nil, &apiError{Status: http.StatusBadRequest, Code: "ValidationException", Message: "The NextToken is invalid."}
		}
		start = off
	}
	end := min(start+n, len(items))
	out := map[string]any{}
	if end < len(items) {
		out["NextToken"] = encodeMarker(end)
		if c.srv.loops[c.action] {
			out["NextToken"] = encodeMarker(min(n, len(items)))
		}
	}
	return items[start:end], out, nil
}

func errJSONValidation(msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "ValidationException", Message: msg}
}

func errResourceNotFound(format string, args ...any) *apiError {
	return &apiError{Status: http.StatusNotFound, Code: "ResourceNotFoundException", Message: fmt.Sprintf(format, args...)}
}

// epoch is how the JSON protocols write a timestamp: seconds since 1970.
func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }
