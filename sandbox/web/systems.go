package web

import (
	"context"
	"fmt"
	"hash/fnv"
	"html"
	"sort"
	"strings"
	"time"

	"github.com/offboard/offboard/sandbox/company"
	"github.com/offboard/offboard/sandbox/fakeaws"
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

func (s *Server) githubSections() []section {
	st, ok := s.o.GitHub.Snapshot(company.Org)
	if !ok {
		return nil
	}
	teams := map[string][]string{}
	for _, t := range st.Teams {
		for _, m := range t.Members {
			teams[m] = append(teams[m], t.Slug)
		}
	}
	var members, others, creds section
	members = section{Tab: "github", Title: "Org members of " + st.Login}
	for _, m := range st.Members {
		h := `<b>` + esc(m.Login) + `</b> <span class="tag">` + esc(m.Role) + `</span>`
		if ts := teams[m.Login]; len(ts) > 0 {
			h += ` <span class="muted">teams: ` + esc(strings.Join(ts, ", ")) + `</span>`
		}
		members.Rows = append(members.Rows, row{Key: "gh-member-" + m.Login, HTML: h})
	}
	others = section{Tab: "github", Title: "Outside collaborators and invitations"}
	for _, c := range st.Collaborators {
		others.Rows = append(others.Rows, row{Key: "gh-collab-" + c.Login,
			HTML: `<b>` + esc(c.Login) + `</b> <span class="tag">outside collaborator</span> <span class="muted">` + esc(strings.Join(c.Repos, ", ")) + `</span>`})
	}
	for _, inv := range st.Invitations {
		who := inv.Login
		if who == "" {
			who = inv.Email
		}
		others.Rows = append(others.Rows, row{Key: fmt.Sprintf("gh-inv-%d", inv.ID),
			HTML: `<b>` + esc(who) + `</b> <span class="tag">invitation pending</span> <span class="muted">` + esc(inv.Role) + `</span>`})
	}
	creds = section{Tab: "github", Title: "SSO authorizations and fine-grained tokens"}
	for _, c := range st.Credentials {
		what := c.Type
		if c.TokenLastEight != "" {
			what += " …" + c.TokenLastEight
		}
		if c.Fingerprint != "" {
			what += " " + c.Fingerprint
		}
		creds.Rows = append(creds.Rows, row{Key: fmt.Sprintf("gh-cred-%d", c.ID),
			HTML: `<b>` + esc(c.Login) + `</b> <span class="tag">SSO</span> ` + esc(what) + ` <span class="muted">` + s.lastUsed(c.AccessedAt) + `</span>`,
			Sig:  fmt.Sprint(c)})
	}
	for _, p := range st.PATs {
		repos := "all repositories"
		if p.Repositories != nil {
			repos = strings.Join(p.Repositories, ", ")
		}
		creds.Rows = append(creds.Rows, row{Key: fmt.Sprintf("gh-pat-%d", p.ID),
			HTML: `<b>` + esc(p.Owner) + `</b> <span class="tag">fine-grained PAT</span> ` + esc(p.Name) + ` <span class="muted">` + esc(repos) + `; ` + s.lastUsed(p.LastUsedAt) + `</span>`,
			Sig:  fmt.Sprint(p)})
	}
	return []section{members, others, creds}
}

func (s *Server) lastUsed(t time.Time) string {
	if t.IsZero() {
		return "never used"
	}
	return "used " + ago(s.o.Clock.Now().Sub(t))
}

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

func (s *Server) awsSections() []section {
	sec := section{Tab: "aws", Title: "IAM users in " + company.Account}
	for _, u := range s.o.AWS.Users(company.Account) {
		p := "iam-" + u.Name
		add := func(key, h string, sig ...any) {
			r := row{Key: p + key, HTML: h}
			if len(sig) > 0 {
				r.Sig = fmt.Sprint(sig...)
			}
			sec.Rows = append(sec.Rows, r)
		}
		add("", `<b class="user">`+esc(u.Name)+`</b>`+tags(u.Tags))
		if u.LoginProfile != nil {
			used := "never signed in"
			if u.PasswordLastUsed != nil {
				used = "signed in " + ago(s.o.Clock.Now().Sub(*u.PasswordLastUsed))
			}
			add("-password", `<span class="sub">console password <span class="muted">`+esc(used)+`</span></span>`, *u.LoginProfile, stamp(u.PasswordLastUsed))
		}
		for _, k := range u.AccessKeys {
			used := "never used"
			if k.LastUsed != nil {
				used = "used " + ago(s.o.Clock.Now().Sub(*k.LastUsed)) + " (" + k.LastService + ")"
			}
			cls := "tag ok"
			if k.Status != fakeaws.StatusActive {
				cls = "tag off"
			}
			add("-key-"+k.ID, `<span class="sub">access key `+esc(k.ID)+` <span class="`+cls+`">`+esc(k.Status)+`</span> <span class="muted">`+esc(used)+`</span></span>`, k.Status, stamp(k.LastUsed))
		}
		for _, m := range u.MFADevices {
			add("-mfa-"+m.Serial, `<span class="sub">MFA `+esc(m.Serial[strings.LastIndex(m.Serial, "/")+1:])+`</span>`)
		}
		for _, k := range u.SSHKeys {
			add("-ssh-"+k.ID, `<span class="sub">SSH key `+esc(k.ID)+` <span class="tag">`+esc(k.Status)+`</span></span>`)
		}
		if len(u.Groups) > 0 {
			add("-groups", `<span class="sub">groups: `+esc(strings.Join(u.Groups, ", "))+`</span>`)
		}
		var pols []string
		for _, a := range u.AttachedPolicies {
			pols = append(pols, a[strings.LastIndex(a, "/")+1:])
		}
		for name := range u.InlinePolicies {
			pols = append(pols, name+" (inline)")
		}
		sort.Strings(pols)
		if len(pols) > 0 {
			add("-policies", `<span class="sub">policies: `+esc(strings.Join(pols, ", "))+`</span>`)
		}
	}
	return []section{sec}
}

func tags(t map[string]string) string {
	if len(t) == 0 {
		return ""
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+t[k])
	}
	return ` <span class="muted">` + esc(strings.Join(parts, " ")) + `</span>`
}

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
