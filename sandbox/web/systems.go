package web

import (
	"context"
	"fmt"
	"hash/fnv"
	"html"
	"strings"
	"time"
)

// section is one list of the side panel: a system's members, keys, groups.
type section struct {
	Tab   string // github, aws, slack
	Title string
	Rows  []row
}

// row is one thing a system holds. Key names it across snapshots, so a
// change to it or its removal can be highlighted.
type row struct {
	Key  string
	HTML string
	// Sig is what counts as a change when the HTML also holds relative
	// times ("used 3 h ago"), which change whenever the clock moves.
	Sig string
}

func (r row) sig() string {
	if r.Sig != "" {
		return r.Sig
	}
	return r.HTML
}

// systems reads the three fakes into the side panel's sections.
func (s *Server) systems() []section {
	return append(append(s.githubSections(), s.awsSections()...), s.slackSections()...)
}

func esc(s string) string { return html.EscapeString(s) }

// ago says how long ago in a reader's words.
func ago(d time.Duration) string {
	switch {
	case d < time.Hour:
		return "just now"
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	case d < 48*time.Hour:
		return "1 day ago"
	default:
		return fmt.Sprintf("%d days ago", int(d.Hours()/24))
	}
}

// slackSections lists the user groups with their members, and the
// accounts deactivated (by SCIM).
func (s *Server) slackSections() []section {
	names := map[string]string{}
	for _, u := range s.o.Slack.Users() {
		names[u.ID] = u.Name
	}
	sec := section{Tab: "slack", Title: "Slack user groups"}
	for _, g := range s.o.Slack.UserGroups() {
		var ms []string
		for _, m := range g.Members {
			ms = append(ms, "@"+names[m])
		}
		state := ""
		if g.Disabled {
			state = ` <span class="tag off">disabled</span>`
		}
		sec.Rows = append(sec.Rows, row{Key: "sg-" + g.ID, HTML: `<b>@` + esc(g.Handle) + `</b>` + state + ` <span class="muted">` + esc(strings.Join(ms, ", ")) + `</span>`})
	}
	users := section{Tab: "slack", Title: "Slack accounts deactivated"}
	for _, u := range s.o.Slack.Users() {
		if u.Deleted {
			users.Rows = append(users.Rows, row{Key: "su-" + u.ID, HTML: `<b>@` + esc(u.Name) + `</b> <span class="tag off">deactivated</span>`})
		}
	}
	return []section{sec, users}
}

// fingerprint summarises what the watcher cannot be told about: the GitHub
// and AWS fakes and the audit log's head.
func (s *Server) fingerprint(ctx context.Context) uint64 {
	h := fnv.New64a()
	for _, sec := range append(s.githubSections(), s.awsSections()...) {
		for _, r := range sec.Rows {
			h.Write([]byte(r.Key))
			h.Write([]byte(r.HTML))
		}
	}
	if b := s.o.Bot(); b != nil {
		if seq, err := b.AuditHead(ctx); err == nil {
			fmt.Fprint(h, seq)
		}
		fmt.Fprint(h, b.Connected())
	}
	return h.Sum64()
}

// stamp is a time a fake may hold as a pointer, as a comparable string.
func stamp(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format(time.RFC3339Nano)
}
