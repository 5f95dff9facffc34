package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// redactor replaces every known secret by a placeholder in whatever passes
// through it, so a token that slips into an error text still never reaches
// a log line or a terminal. It knows the secrets read at start and those
// minted at run time (Add), and catches each in the forms it takes when
// text about it is logged: as it is, escaped inside a JSON or Go string (a
// PEM key's line breaks become \n), URL-encoded, and base64-encoded inside
// a larger value (a Basic auth header).
type redactor struct {
	w   io.Writer // where Write sends the redacted bytes
	wmu *sync.Mutex

	mu      sync.Mutex // serialises Add
	known   map[string]bool
	replace atomic.Pointer[strings.Replacer]
}

// minSecret is the shortest value treated as a secret: shorter ones (an
// app ID, an installation number) are not secrets, and replacing them
// would redact noise out of every line.
const minSecret = 8

const placeholder = "[REDACTED]"

func newRedactor(w io.Writer, secrets []string) *redactor {
	r := &redactor{w: w, wmu: &sync.Mutex{}, known: map[string]bool{}}
	r.replace.Store(strings.NewReplacer())
	for _, s := range secrets {
		r.Add(s)
	}
	return r
}

// Add makes r redact secret from now on, in every form it knows. It is
// safe to call while other goroutines write: connectors call it when they
// mint a credential (a GitHub App installation token, STS session keys).
func (r *redactor) Add(secret string) {
	secret = strings.TrimSpace(secret)
	if len(secret) < minSecret {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	added := false
	for _, f := range forms(secret) {
		if len(f) >= minSecret && !r.known[f] {
			r.known[f] = true
			added = true
		}
	}
	if !added {
		return
	}
	all := make([]string, 0, len(r.known))
	for f := range r.known {
		all = append(all, f)
	}
	// The replacer tries its patterns in argument order at each position:
	// longest first, so a whole key goes before one of its lines.
	sort.Slice(all, func(i, j int) bool {
		if len(all[i]) != len(all[j]) {
			return len(all[i]) > len(all[j])
		}
		return all[i] < all[j]
	})
	pairs := make([]string, 0, 2*len(all))
	for _, f := range all {
		pairs = append(pairs, f, placeholder)
	}
	r.replace.Store(strings.NewReplacer(pairs...))
}

// forms lists the texts secret may appear as.
func forms(secret string) []string {
	out := []string{secret}
	esc := jsonEscaped(secret)
	out = append(out, esc, jsonEscaped(esc), goQuoted(secret), url.QueryEscape(secret), url.PathEscape(secret))
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		out = append(out, base64Cores(enc, secret)...)
	}
	// A multi-line secret (a PEM key) may be logged with other line breaks
	// or in part: each substantial line is a secret of its own. Its
	// BEGIN/END lines are not.
	if strings.ContainsAny(secret, "\r\n") {
		for _, line := range strings.FieldsFunc(secret, func(r rune) bool { return r == '\n' || r == '\r' }) {
			line = strings.TrimSpace(line)
			if len(line) >= 16 && !strings.HasPrefix(line, "-----") {
				out = append(out, line)
			}
		}
	}
	return out
}

// jsonEscaped is s as it appears inside a JSON string, both with and
// without HTML escaping (zerolog does not escape HTML).
func jsonEscaped(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	q := strings.TrimSuffix(b.String(), "\n")
	return q[1 : len(q)-1]
}

func goQuoted(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// base64Cores are the characters that must appear in any base64 text whose
// decoded bytes contain secret, whatever its offset: for each of the three
// alignments, the characters determined by the secret's bytes alone.
func base64Cores(enc *base64.Encoding, secret string) []string {
	var out []string
	n := len(secret)
	for k := 0; k < 3; k++ {
		buf := make([]byte, k+n+2)
		copy(buf[k:], secret)
		text := enc.WithPadding(base64.NoPadding).EncodeToString(buf)
		// Character i covers bits [6i, 6i+6); the secret covers [8k, 8k+8n).
		first := (8*k + 5) / 6
		last := (8*(k+n))/6 - 1
		if last-first+1 >= 2*minSecret {
			out = append(out, text[first:last+1])
		}
	}
	return out
}

func (r *redactor) Write(p []byte) (int, error) {
	return r.writeTo(r.w, p)
}

func (r *redactor) writeTo(w io.Writer, p []byte) (int, error) {
	out := r.replace.Load().Replace(string(p))
	r.wmu.Lock()
	defer r.wmu.Unlock()
	if _, err := io.WriteString(w, out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// String redacts a string, for error texts shown to people.
func (r *redactor) String(s string) string { return r.replace.Load().Replace(s) }

// to is a writer to w that redacts the same secrets as r.
func (r *redactor) to(w io.Writer) io.Writer { return redactedWriter{r: r, w: w} }

type redactedWriter struct {
	r *redactor
	w io.Writer
}

func (rw redactedWriter) Write(p []byte) (int, error) { return rw.r.writeTo(rw.w, p) }
