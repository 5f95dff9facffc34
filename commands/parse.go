package commands

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxRunes is the longest text accepted, counted in
// characters as the person typed them: surrounding space removed and
// Slack's &amp;, &lt; and &gt; counted as the one character they stand for,
// so that an ampersand does not cost five.
const maxRunes = 1000

// Parse reads the text of an /offboard slash command, as Slack delivers it
// with should_escape on, into one of the Command types. Keywords ignore
// case; words may be separated by any run of spaces, tabs or newlines.
// Every error is an *Error.
func Parse(text string, env Env) (Command, error) {
	if err := env.check(); err != nil {
		return nil, err
	}
	if !utf8.ValidString(text) {
		return nil, fail(usageAll, "The text is not valid UTF-8; type it again.")
	}
	text = strings.TrimFunc(text, unicode.IsSpace)
	if n := utf8.RuneCountInString(unescape(text)); n > maxRunes {
		return nil, fail(usageDated, "The text is %d characters long; the limit is %d. Shorten the reason.", n, maxRunes)
	}
	for _, r := range text {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return nil, fail(usageAll, "The text holds an invisible control character (U+%04X); type it again without it.", r)
		}
	}
	toks := tokenize(text)
	if len(toks) == 0 {
		return OpenModal{}, nil
	}
	if r, found := firstInvisible(text); found {
		return nil, invisible("The text", r, usageOf(toks[0]))
	}
	switch first, rest := toks[0], toks[1:]; {
	case first.is("help"):
		return Help{}, nil
	case first.is("status"):
		return parseStatus(rest)
	case first.is("list"):
		return bare(List{}, "list", rest, usageList)
	case first.is("cancel"):
		return parseCancel(rest)
	case first.is("scan"):
		return bare(Scan{}, "scan", rest, usageScan)
	case first.is("link"):
		return parseLink(rest, env)
	}
	return parseRequest(text, toks, env)
}

// usageOf is the right form of the command whose first word is first.
func usageOf(first token) string {
	for _, u := range []struct{ kw, usage string }{{"help", usageHelp}, {"status", usageStatus}, {"list", usageList},
		{"cancel", usageCancel}, {"scan", usageScan}, {"link", usageLink}} {
		if first.is(u.kw) {
			return u.usage
		}
	}
	return usageDated
}

// bare accepts a command that takes nothing after its keyword.
func bare(c Command, name string, rest []token, usage string) (Command, error) {
	if len(rest) > 0 {
		return nil, fail(usage, "“%s” takes nothing after it; remove %s.", name, quote(unescape(rest[0].raw)))
	}
	return c, nil
}
