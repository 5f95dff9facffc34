package bot

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack/slackutilsx"

	"github.com/offboard/offboard/storage"
)

// esc escapes text a person typed for mrkdwn (&, <, >), so a reason cannot
// ping @channel or forge a link.
func esc(s string) string { return slackutilsx.EscapeMessage(s) }

// escClip escapes s and cuts it to at most max bytes of mrkdwn, never in
// the middle of an entity or a character, marking the cut with an ellipsis.
func escClip(s string, max int) string {
	e := esc(s)
	if len(e) <= max {
		return e
	}
	cut := max - len("…")
	for cut > 0 && !utf8.RuneStart(e[cut]) {
		cut--
	}
	if amp := strings.LastIndexByte(e[:cut], '&'); amp >= 0 && !strings.Contains(e[amp:cut], ";") {
		cut = amp
	}
	return e[:cut] + "…"
}

// clip cuts plain text (a button label, a header) to max characters.
func clip(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// mention is a user or user-group mention from a validated ID.
func mention(id string) string {
	switch {
	case id == "":
		return "nobody"
	case strings.HasPrefix(id, "S"):
		return "<!subteam^" + id + ">"
	case id == "offboard":
		return "offboard"
	}
	return "<@" + id + ">"
}

func mentions(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = mention(id)
	}
	return strings.Join(out, ", ")
}

// plural writes "1 action", "2 actions".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// targetName names the person of a case: their mention, or for a person
// known only by another account, that account's name.
func targetName(t storage.Identity) string {
	if t.SlackUser != "" {
		return mention(t.SlackUser)
	}
	if t.Name != "" {
		return escClip(t.Name, 100)
	}
	return "an unlinked account"
}
