package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/offboard/offboard/sandbox/company"
)

// githubSections lists the org's members with their teams, outside
// collaborators, invitations, SSO authorizations and fine-grained tokens.
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
