package commands

import "strings"

// entityKind sorts the <…> entities Slack puts into escaped text.
type entityKind int

const (
	entityUser      entityKind = iota // <@U123|dana>
	entityBadUser                     // <@…> whose ID is not a user ID
	entityChannel                     // <#C123|general>
	entityBroadcast                   // <!here>, <!channel>, <!everyone>, other <!…>
	entityGroup                       // <!subteam^S123|@team>
	entityLink                        // <https://…|label>, <mailto:…>
	entityEmpty                       // <> or <|x>
)

// entity is one parsed <…>: id is what comes before '|' without its
// sigil (user ID, channel ID, special name, group ID or URL).
type entity struct {
	kind  entityKind
	id    string
	label string
}

// parseEntity reads the content between '<' and '>'.
func parseEntity(content string) entity {
	id, label, _ := strings.Cut(content, "|")
	switch {
	case strings.HasPrefix(id, "@"):
		if validUserID(id[1:]) {
			return entity{kind: entityUser, id: id[1:], label: label}
		}
		return entity{kind: entityBadUser, id: id[1:], label: label}
	case strings.HasPrefix(id, "#"):
		return entity{kind: entityChannel, id: id[1:], label: label}
	case strings.HasPrefix(id, "!subteam^"):
		return entity{kind: entityGroup, id: strings.TrimPrefix(id, "!subteam^"), label: label}
	case strings.HasPrefix(id, "!"):
		return entity{kind: entityBroadcast, id: id[1:], label: label}
	case id == "":
		return entity{kind: entityEmpty, label: label}
	}
	return entity{kind: entityLink, id: id, label: label}
}

// validUserID accepts Slack user IDs: U (or W on Enterprise Grid) and
// uppercase alphanumerics.
func validUserID(id string) bool {
	if len(id) < 2 || len(id) > 32 || (id[0] != 'U' && id[0] != 'W') {
		return false
	}
	for i := 1; i < len(id); i++ {
		c := id[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// describe names an entity the way the person saw it when typing.
func (e entity) describe() string {
	switch e.kind {
	case entityUser, entityBadUser:
		if e.label != "" {
			return "@" + unescape(e.label)
		}
		return "@" + unescape(e.id)
	case entityChannel:
		if e.label != "" {
			return "#" + unescape(e.label)
		}
		return "#" + unescape(e.id)
	case entityBroadcast:
		return "@" + unescape(e.id)
	case entityGroup:
		if e.label != "" {
			return unescape(e.label)
		}
		return "@" + unescape(e.id)
	}
	return e.text()
}

// text is how a link reads as plain text: what the person typed, plus the
// address when the label hides it, so an auditor sees where it pointed.
func (e entity) text() string {
	url, label := unescape(e.id), unescape(e.label)
	if label == "" {
		return url
	}
	bare := url
	for _, p := range []string{"mailto:", "https://", "http://"} {
		bare = strings.TrimPrefix(bare, p)
	}
	if label == url || label == bare || url == "" {
		return label
	}
	return label + " (" + url + ")"
}
