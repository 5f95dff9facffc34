package fakeslack

import (
	"strings"
	"unicode"

	"github.com/slack-go/slack/slackutilsx"
)

// Mention is how Slack writes a mention of the user in a slash command's
// text with should_escape:true: "<@U123|dana>".
func (s *Server) Mention(userID string) string {
	u, ok := s.User(userID)
	if !ok {
		return "<@" + userID + ">"
	}
	return "<@" + u.ID + "|" + u.handle() + ">"
}

// EscapeTyped turns text as a person types it into what Slack delivers to
// an app with should_escape:true: &, < and > escaped; @user, @group,
// #channel, @here, @channel and @everyone resolved to their escapes. A
// name Slack does not know stays as typed.
func (s *Server) EscapeTyped(typed string) string {
	text := slackutilsx.EscapeMessage(typed)
	var b strings.Builder
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if (r != '@' && r != '#') || (i > 0 && !unicode.IsSpace(rs[i-1])) {
			b.WriteRune(r)
			continue
		}
		j := i + 1
		for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || strings.ContainsRune("._-", rs[j])) {
			j++
		}
		name := string(rs[i+1 : j])
		if esc := s.resolveName(r, name); esc != "" && name != "" {
			b.WriteString(esc)
			i = j - 1
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// resolveName gives the escape of @name or #name, "" when unknown.
func (s *Server) resolveName(sigil rune, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sigil == '#' {
		for _, id := range s.chanOrder {
			if c := s.channels[id]; c.Name == name {
				return "<#" + c.ID + "|" + c.Name + ">"
			}
		}
		return ""
	}
	switch name {
	case "here", "channel", "everyone":
		return "<!" + name + ">"
	}
	if u := s.userByNameLocked(name); u != nil {
		return "<@" + u.ID + "|" + u.Name + ">"
	}
	for _, id := range s.groupOrder {
		if g := s.groups[id]; g.Handle == name {
			return "<!subteam^" + g.ID + "|@" + g.Handle + ">"
		}
	}
	return ""
}
