package web

import (
	"html"
	"strings"
)

// Names resolves the IDs mrkdwn mentions to the names a reader sees.
type Names struct {
	Users    map[string]string // U… → handle
	Channels map[string]string // C… → name
	Groups   map[string]string // S… → handle
}

// mrkdwn renders Slack's mrkdwn as HTML. Everything that is not markup
// Slack itself would honour is escaped: the text arrives with &, < and >
// escaped by the sender, so a literal "<script>" is "&lt;script&gt;" here
// and stays text. Links show their target, so a link cannot pose as a
// button, and only http(s) and mailto links are links at all.
func (n Names) mrkdwn(s string) string {
	var b strings.Builder
	lines := strings.Split(s, "\n")
	inQuote := false
	for i, line := range lines {
		q, rest := quoteLine(line)
		if q != inQuote {
			if q {
				b.WriteString(`<blockquote>`)
			} else {
				b.WriteString(`</blockquote>`)
			}
			inQuote = q
		} else if i > 0 {
			b.WriteString("<br>")
		}
		line = rest
		lines[i] = line
		// A code block may span lines; render it whole.
		if start := strings.Index(line, "```"); start >= 0 {
			joined := strings.Join(lines[i:], "\n")
			if end := strings.Index(joined[start+3:], "```"); end >= 0 {
				b.WriteString(n.inline(joined[:start]))
				b.WriteString("<pre>" + escapeText(joined[start+3:start+3+end]) + "</pre>")
				tail := joined[start+3+end+3:]
				if inQuote {
					b.WriteString(`</blockquote>`)
				}
				if tail != "" {
					b.WriteString(n.mrkdwn(strings.TrimPrefix(tail, "\n")))
				}
				return b.String()
			}
		}
		b.WriteString(n.inline(line))
	}
	if inQuote {
		b.WriteString(`</blockquote>`)
	}
	return b.String()
}

// quoteLine says whether a line is a quote ("> " or, escaped, "&gt; ").
func quoteLine(line string) (bool, string) {
	for _, p := range []string{"&gt; ", "&gt;", "> "} {
		if strings.HasPrefix(line, p) {
			return true, line[len(p):]
		}
	}
	return false, line
}

// inline renders one line's spans: code, entities, bold, italics, strike
// and emoji.
func (n Names) inline(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '`':
			if end := strings.IndexByte(s[i+1:], '`'); end > 0 {
				b.WriteString("<code>" + escapeText(s[i+1:i+1+end]) + "</code>")
				i += end + 2
				continue
			}
		case c == '<':
			if end := strings.IndexByte(s[i+1:], '>'); end >= 0 {
				b.WriteString(n.entity(s[i+1 : i+1+end]))
				i += end + 2
				continue
			}
		case c == '*' || c == '_' || c == '~':
			if end, ok := closing(s, i); ok {
				tag := map[byte]string{'*': "b", '_': "i", '~': "s"}[c]
				b.WriteString("<" + tag + ">" + n.inline(s[i+1:end]) + "</" + tag + ">")
				i = end + 1
				continue
			}
		case c == ':':
			if end := strings.IndexByte(s[i+1:], ':'); end > 0 {
				if e, ok := emoji[s[i+1:i+1+end]]; ok {
					b.WriteString(`<span class="emoji" title=":` + escapeText(s[i+1:i+1+end]) + `:">` + e + `</span>`)
					i += end + 2
					continue
				}
			}
		case c == '&':
			// Slack's three escapes; anything else is a literal ampersand.
			for _, ent := range []string{"&amp;", "&lt;", "&gt;"} {
				if strings.HasPrefix(s[i:], ent) {
					b.WriteString(ent)
					i += len(ent)
					goto next
				}
			}
		}
		writeEscapedByte(&b, c)
		i++
	next:
	}
	return b.String()
}

// closing finds the marker that closes the one at open: the opening one
// follows a boundary and precedes a non-space; the closing one follows a
// non-space and precedes a boundary. Markers inside code and <…> do not count.
func closing(s string, open int) (int, bool) {
	c := s[open]
	if open > 0 && !boundary(s[open-1]) || open+1 >= len(s) || s[open+1] == ' ' || s[open+1] == c {
		return 0, false
	}
	for j := open + 1; j < len(s); j++ {
		switch s[j] {
		case '<':
			if end := strings.IndexByte(s[j:], '>'); end > 0 {
				j += end
			}
			continue
		case '`':
			if end := strings.IndexByte(s[j+1:], '`'); end >= 0 {
				j += end + 1
			}
			continue
		}
		if s[j] == c && s[j-1] != ' ' && (j+1 == len(s) || boundary(s[j+1])) {
			return j, true
		}
	}
	return 0, false
}

func boundary(c byte) bool {
	return strings.IndexByte(" \t([{.,;:!?)]}'\"-/*_~", c) >= 0
}

// entity renders what was between < and >: a mention, a special mention,
// a date or a link.
func (n Names) entity(body string) string {
	target, label, hasLabel := strings.Cut(body, "|")
	name := func(m map[string]string, id string) string {
		if hasLabel && label != "" {
			return strings.TrimPrefix(label, "@")
		}
		if v, ok := m[id]; ok {
			return v
		}
		return id
	}
	switch {
	case strings.HasPrefix(target, "@"):
		id := target[1:]
		return `<span class="mention" data-user="` + escapeText(id) + `">@` + escapeText(unescape(name(n.Users, id))) + `</span>`
	case strings.HasPrefix(target, "#"):
		id := target[1:]
		return `<span class="mention">#` + escapeText(unescape(name(n.Channels, id))) + `</span>`
	case strings.HasPrefix(target, "!subteam^"):
		id := target[len("!subteam^"):]
		return `<span class="mention">@` + escapeText(unescape(name(n.Groups, id))) + `</span>`
	case target == "!here" || target == "!channel" || target == "!everyone":
		return `<span class="mention">@` + target[1:] + `</span>`
	case strings.HasPrefix(target, "!date^"):
		return escapeText(unescape(label))
	case strings.HasPrefix(target, "!"):
		return escapeText(unescape(label))
	}
	url := unescape(target)
	if !safeURL(url) {
		return escapeText("<" + unescape(body) + ">")
	}
	text := url
	if hasLabel && label != "" {
		text = unescape(label)
	}
	a := `<a href="` + html.EscapeString(url) + `" rel="noopener noreferrer" target="_blank">` + escapeText(text) + `</a>`
	if text != url {
		// Show where it goes: a link labelled "Approve" must not pass for one.
		a += ` <span class="link-target">(` + escapeText(url) + `)</span>`
	}
	return a
}

func safeURL(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "mailto:")
}

// unescape undoes Slack's three escapes.
func unescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// escapeText escapes text that may still hold Slack's escapes, once.
func escapeText(s string) string { return html.EscapeString(unescape(s)) }

// plainText renders a plain_text object's text; emoji shortcodes become
// emoji when the object asks for it.
func plainText(s string, emojiOn bool) string {
	out := html.EscapeString(s)
	if !emojiOn {
		return out
	}
	var b strings.Builder
	for i := 0; i < len(out); {
		if out[i] == ':' {
			if end := strings.IndexByte(out[i+1:], ':'); end > 0 {
				if e, ok := emoji[out[i+1:i+1+end]]; ok {
					b.WriteString(e)
					i += end + 2
					continue
				}
			}
		}
		b.WriteByte(out[i])
		i++
	}
	return b.String()
}

// writeEscapedByte writes one byte of UTF-8 text, escaped for HTML; bytes
// of multi-byte characters pass through untouched.
func writeEscapedByte(b *strings.Builder, c byte) {
	switch c {
	case '<':
		b.WriteString("&lt;")
	case '>':
		b.WriteString("&gt;")
	case '&':
		b.WriteString("&amp;")
	case '"':
		b.WriteString("&#34;")
	case '\'':
		b.WriteString("&#39;")
	default:
		b.WriteByte(c)
	}
}
