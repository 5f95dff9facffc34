package fakeslack

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// request is a Web API call's arguments, from a form or a JSON body.
type request struct {
	form    url.Values
	json    map[string]json.RawMessage
	token   string
	tokenIn string
}

func parseRequest(hr *http.Request) (*request, error) {
	r := &request{form: url.Values{}}
	ctype, _, _ := mime.ParseMediaType(hr.Header.Get("Content-Type"))
	if ctype == "application/json" {
		body, err := io.ReadAll(io.LimitReader(hr.Body, 4<<20))
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(body)) > 0 && !bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
			if err := json.Unmarshal(body, &r.json); err != nil {
				return nil, err
			}
		}
		r.form = hr.URL.Query()
	} else {
		if err := hr.ParseForm(); err != nil {
			return nil, err
		}
		r.form = hr.Form
	}
	if auth := hr.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		r.token, r.tokenIn = strings.TrimPrefix(auth, "Bearer "), "header"
	} else if t := r.form.Get("token"); t != "" {
		r.token, r.tokenIn = t, "form"
	}
	return r, nil
}

// str returns an argument as a string: a form field, or a JSON string (or
// the JSON text of any other value).
func (r *request) str(name string) string {
	if v, ok := r.json[name]; ok {
		var sv string
		if json.Unmarshal(v, &sv) == nil {
			return sv
		}
		if string(v) == "null" {
			return ""
		}
		return string(v)
	}
	return r.form.Get(name)
}

// has says whether the argument was sent at all.
func (r *request) has(name string) bool {
	if _, ok := r.json[name]; ok {
		return true
	}
	_, ok := r.form[name]
	return ok
}

// raw returns an argument that holds JSON: a JSON string of JSON in a form
// (as slack-go sends blocks), or a JSON value (or JSON string) in a body.
func (r *request) raw(name string) json.RawMessage {
	if v, ok := r.json[name]; ok {
		var sv string
		if json.Unmarshal(v, &sv) == nil {
			return json.RawMessage(sv)
		}
		return v
	}
	if v := r.form.Get(name); v != "" {
		return json.RawMessage(v)
	}
	return nil
}

func (r *request) bool(name string) bool {
	switch strings.ToLower(r.str(name)) {
	case "1", "true", "yes":
		return true
	}
	return false
}

// params flattens the arguments for the call log, without the token.
func (r *request) params() map[string]string {
	out := map[string]string{}
	for k, v := range r.form {
		if k != "token" && len(v) > 0 {
			out[k] = v[0]
		}
	}
	for k := range r.json {
		if k != "token" {
			out[k] = r.str(k)
		}
	}
	return out
}
