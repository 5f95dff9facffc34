package commands

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// parseReason turns the raw rest of a request into plain text: Slack's
// entities decoded once, links as their text. A reason names no one: a
// mention of another person, a channel, @here or a user group is refused,
// as is a name Slack could not turn into a mention.
func parseReason(raw, target string) (string, *Error) {
	var b strings.Builder
	plain := 0
	for i := 0; i < len(raw); i++ {
		if raw[i] != '<' {
			continue
		}
		j := entityEnd(raw, i)
		if j < 0 {
			continue
		}
		b.WriteString(unescape(raw[plain:i]))
		e := parseEntity(raw[i+1 : j-1])
		switch {
		case e.kind == entityLink:
			b.WriteString(e.text())
		case e.kind == entityUser && e.id == target:
			return "", fail(usageRequest, "The reason mentions %s again; mention the person once, before the reason.", quote(e.describe()))
		case e.kind == entityUser:
			return "", fail(usageRequest, "The reason mentions %s too, but a request is for one person. Make a separate request for them, or leave them out of the reason.", quote(e.describe()))
		default:
			err := wrongMention(e, usageRequest)
			err.Problem = "In the reason: " + err.Problem
			return "", err
		}
		plain, i = j, j-1
	}
	b.WriteString(unescape(raw[plain:]))
	reason := strings.TrimFunc(b.String(), unicode.IsSpace)
	if err := namesSomeone(reason); err != nil {
		return "", err
	}
	return reason, nil
}

// namesSomeone refuses a word like "@bob" or "@here" in plain text. With
// should_escape on, Slack would have made it a mention had it known the
// name; a renderer with link_names would still ping @here.
func namesSomeone(reason string) *Error {
	for _, w := range strings.FieldsFunc(reason, unicode.IsSpace) {
		w = strings.TrimLeft(w, "([{\"'“‘")
		name, ok := strings.CutPrefix(w, "@")
		if !ok {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(name); !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		word := strings.TrimRightFunc(name, func(r rune) bool { return unicode.IsPunct(r) && r != '_' })
		if foldEq(word, "here") || foldEq(word, "channel") || foldEq(word, "everyone") {
			return fail(usageRequest, "The reason holds %s, which would notify many people; leave it out.", quote("@"+word))
		}
		return fail(usageRequest, "The reason names %s, which Slack did not turn into a mention. A request is for one person; leave other people out of the reason.", quote("@"+word))
	}
	return nil
}
