package commands

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of the text as Slack delivered it, with its byte
// offsets so the reason can be cut out with its original spacing.
type token struct {
	raw        string
	start, end int
}

// tokenize splits s at any Unicode space (clients put no-break spaces after
// a picked mention), except inside a Slack entity <…>, whose label may
// hold spaces.
func tokenize(s string) []token {
	var toks []token
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		start := i
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				break
			}
			if r == '<' {
				if j := entityEnd(s, i); j > 0 {
					i = j
					continue
				}
			}
			i += n
		}
		toks = append(toks, token{raw: s[start:i], start: start, end: i})
	}
	return toks
}

// entityEnd returns the index just past the '>' that closes the entity
// opening at s[i], or -1. Slack escapes a typed "<", so a '<' is always an
// entity; a second '<' before the '>' means the first one was not.
func entityEnd(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '>':
			return j + 1
		case '<':
			return -1
		}
	}
	return -1
}

// is reports whether the token is the keyword kw.
func (t token) is(kw string) bool { return foldEq(t.raw, kw) }

// foldEq compares s with a lowercase ASCII keyword ignoring ASCII case
// only, so that no Unicode lookalike ("ſcan") becomes a keyword.
func foldEq(s, kw string) bool {
	if len(s) != len(kw) {
		return false
	}
	for i := 0; i < len(kw); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != kw[i] {
			return false
		}
	}
	return true
}

// unescape undoes Slack's escaping of plain text, once, left to right, so
// "&amp;lt;" is the text "&lt;".
func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "&lt;"):
			b.WriteByte('<')
			i += 3
		case strings.HasPrefix(s[i:], "&gt;"):
			b.WriteByte('>')
			i += 3
		case strings.HasPrefix(s[i:], "&amp;"):
			b.WriteByte('&')
			i += 4
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
