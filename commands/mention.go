package commands

import "strings"

// target reads the token that names the one person a command is about and
// returns their user ID. A trailing "," or ":" is tolerated because people
// write "@dana: contract ended".
func target(t token, usage string) (string, error) {
	if !strings.HasPrefix(t.raw, "<") || entityEnd(t.raw, 0) < 0 {
		return "", notAMention(t.raw, usage)
	}
	end := entityEnd(t.raw, 0)
	e := parseEntity(t.raw[1 : end-1])
	if rest := t.raw[end:]; rest != "" && rest != "," && rest != ":" {
		return "", fail(usage, "Put a space after the mention of %s.", quote(e.describe()))
	}
	if e.kind == entityUser {
		return e.id, nil
	}
	return "", wrongMention(e, usage)
}

// notAMention explains a plain word where a mention should be: with
// should_escape on, Slack turns every person it recognises into <@U…>, so
// a bare name is someone it could not resolve.
func notAMention(raw, usage string) *Error {
	word := unescape(raw)
	if strings.HasPrefix(word, "@") {
		return fail(usage, "Slack did not recognise %s as a person in this workspace. Type @ and pick the person from the list Slack offers.", quote(word))
	}
	return fail(usage, "%s is not a mention of a person. Type @ and pick the person from the list Slack offers.", quote(word))
}

// wrongMention refuses an entity that is not one person.
func wrongMention(e entity, usage string) *Error {
	d := quote(e.describe())
	switch e.kind {
	case entityBadUser:
		return fail(usage, "%s is not a Slack user. Type @ and pick the person from the list Slack offers.", d)
	case entityChannel:
		return fail(usage, "%s is a channel; name one person with @ instead.", d)
	case entityBroadcast:
		return fail(usage, "%s would notify many people; name one person with @ instead.", d)
	case entityGroup:
		return fail(usage, "%s is a user group; name one person with @ instead.", d)
	case entityEmpty:
		return fail(usage, "The text holds an empty Slack link; name one person with @.")
	}
	return fail(usage, "%s is a link, not a person; name one person with @ instead.", d)
}
