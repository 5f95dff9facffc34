package commands

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error is a refusal to parse: Problem says what was wrong, Usage shows the
// right form with an example. Both are mrkdwn without "&", "<" or ">".
type Error struct {
	Problem string
	Usage   string
}

// Error returns the Problem.
func (e *Error) Error() string { return e.Problem }

func fail(usage, format string, args ...any) *Error {
	return &Error{Problem: fmt.Sprintf(format, args...), Usage: usage}
}

// maxQuote bounds how much of a person's text a Problem repeats.
const maxQuote = 40

// quote repeats a person's text inside a Problem. "&", "<" and ">" become
// lookalikes so the Problem cannot ping or link even if a caller forgets to
// escape it, and reads the same if the caller does escape it.
func quote(s string) string {
	if utf8.RuneCountInString(s) > maxQuote {
		r := []rune(s)
		s = string(r[:maxQuote]) + "…"
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case '&':
			return '＆'
		case '<':
			return '‹'
		case '>':
			return '›'
		case '\n', '\r', '\t':
			return ' '
		}
		return r
	}, s)
	return "“" + s + "”"
}
