package github

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/offboard/offboard/connectors"
)

const contributionFields = `hasAnyContributions totalCommitContributions totalIssueContributions totalPullRequestContributions totalPullRequestReviewContributions totalRepositoryContributions restrictedContributionsCount`

// recentComments is how many of a member's newest issue and pull-request
// comments a scan reads. contributionsCollection counts no comments, so a
// reviewer who only comments would look dormant; GitHub's only per-user
// list of comments is issueComments, across every repository, so the
// newest few are read and those in the org's repositories count.
const recentComments = 20

// commentFields reads the newest recentComments comments with where they
// were made; issueComments without an orderBy is oldest first, so last:
// n is the newest n.
var commentFields = fmt.Sprintf(`ic: issueComments(last: %d) { nodes { createdAt repository { owner { login } } } }`, recentComments)

// query builds one GraphQL query for logins: per member an alias uN with
// createdAt, one contributionsCollection per window and the newest
// comments, and, when the org has SAML, an alias sN with the member's
// SAML emails. The comments ride in the same call: the scan's call count
// does not grow with them.
func (s *dormancyScan) query(logins []string) string {
	var b strings.Builder
	b.WriteString("query($orgID: ID!, $org: String!) {\n")
	wins := s.windows()
	for i, l := range logins {
		fmt.Fprintf(&b, "u%d: user(login: %s) { login createdAt %s", i, quote(l), commentFields)
		for w, win := range wins {
			fmt.Fprintf(&b, " c%d: contributionsCollection(organizationID: $orgID, from: %s, to: %s) { %s }",
				w, quote(gqlTime(win[0])), quote(gqlTime(win[1])), contributionFields)
		}
		b.WriteString(" }\n")
		if s.info.hasSAML {
			fmt.Fprintf(&b, "s%d: organization(login: $org) { samlIdentityProvider { externalIdentities(first: 1, login: %s) { nodes { samlIdentity { nameId emails { value } } } } } }\n", i, quote(l))
		}
	}
	b.WriteString("}")
	return b.String()
}

type batchUser struct {
	Login     string    `json:"login"`
	CreatedAt time.Time `json:"createdAt"`
	Comments  *struct {
		Nodes []struct {
			CreatedAt  time.Time `json:"createdAt"`
			Repository *struct {
				Owner struct {
					Login string `json:"login"`
				} `json:"owner"`
			} `json:"repository"`
		} `json:"nodes"`
	} `json:"ic"`
}

type batchSAML struct {
	SAML *struct {
		Identities struct {
			Nodes []struct {
				Identity struct {
					NameID string `json:"nameId"`
					Emails []struct {
						Value string `json:"value"`
					} `json:"emails"`
				} `json:"samlIdentity"`
			} `json:"nodes"`
		} `json:"externalIdentities"`
	} `json:"samlIdentityProvider"`
}

// batch asks about logins in one call and returns the dormant ones and
// those a person must check. A login GitHub no longer resolves (deleted
// since the list was read) is skipped; a SAML lookup that fails only
// loses the email; an error on one member's fields marks that member
// "activity could not be read" and the others are judged.
func (s *dormancyScan) batch(ctx context.Context, logins []string) ([]connectors.Dormant, error) {
	var data map[string]json.RawMessage
	errs, err := s.c.graphql(ctx, "get member contributions", s.query(logins), map[string]any{"orgID": s.info.id, "org": s.c.org}, &data)
	if err != nil {
		return nil, err
	}
	unread := map[string]bool{}
	for _, e := range errs {
		alias, _ := firstPath(e)
		switch {
		case e.Type == "NOT_FOUND" || strings.HasPrefix(alias, "s"):
		case strings.HasPrefix(alias, "u"):
			unread[alias] = true
		default:
			ge := graphQLErrors{e}
			return nil, classify("get member contributions", &ge)
		}
	}
	var out []connectors.Dormant
	for i, login := range logins {
		alias := fmt.Sprintf("u%d", i)
		if unread[alias] {
			out = append(out, s.unread(login))
			continue
		}
		raw := data[alias]
		if len(raw) == 0 || string(raw) == "null" {
			continue
		}
		var fields map[string]json.RawMessage
		var u batchUser
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, classify("get member contributions", fmt.Errorf("decode member %s: %w", login, err))
		}
		if err := json.Unmarshal(raw, &u); err != nil {
			return nil, classify("get member contributions", fmt.Errorf("decode member %s: %w", login, err))
		}
		if !s.dormant(u, fields) {
			continue
		}
		d := connectors.Dormant{
			Account: connectors.Account{System: connectors.GitHub, Scope: s.c.org, ID: u.Login},
			Email:   samlEmail(data[fmt.Sprintf("s%d", i)]),
			Why:     fmt.Sprintf("no contributions or comments in %d days", s.days),
		}
		switch {
		case s.owners[strings.ToLower(u.Login)]:
			d.Check = "org owner: check by hand (owners' admin work shows neither as contributions nor as comments)"
		case s.commentsHidden(u):
			d.Check = fmt.Sprintf("the newest %d comments are all outside %s and recent: older comments in the org could not be read; check by hand", recentComments, s.c.org)
		}
		out = append(out, d)
	}
	return out, nil
}

// commented says whether u commented in the org's repositories within the
// window, as far as the newest comments show.
func (s *dormancyScan) commented(u batchUser) bool {
	if u.Comments == nil {
		return false
	}
	for _, n := range u.Comments.Nodes {
		if !n.CreatedAt.Before(s.from) && n.Repository != nil && strings.EqualFold(n.Repository.Owner.Login, s.c.org) {
			return true
		}
	}
	return false
}

// commentsHidden says whether u's newest comments fill the page and all
// fall within the window: comments in the org older than those could not
// be seen, so silence is not evidence.
func (s *dormancyScan) commentsHidden(u batchUser) bool {
	if u.Comments == nil || len(u.Comments.Nodes) < recentComments {
		return false
	}
	for _, n := range u.Comments.Nodes {
		if n.CreatedAt.Before(s.from) {
			return false
		}
	}
	return true
}

// dormant judges one member from its createdAt, join time and windows.
func (s *dormancyScan) dormant(u batchUser, fields map[string]json.RawMessage) bool {
	if u.CreatedAt.After(s.from) {
		return false // an account younger than the window
	}
	if t, ok := s.joined[strings.ToLower(u.Login)]; ok && t.After(s.from) {
		return false // joined the org within the window
	}
	if s.commented(u) {
		return false // a reviewer who comments is not dormant
	}
	for w := range s.windows() {
		var cc contributions
		if raw, ok := fields[fmt.Sprintf("c%d", w)]; !ok || json.Unmarshal(raw, &cc) != nil || cc.active() {
			return false // active, or not answered: never call someone dormant on a guess
		}
	}
	return true
}

func samlEmail(raw json.RawMessage) string {
	var s batchSAML
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil || s.SAML == nil {
		return ""
	}
	for _, n := range s.SAML.Identities.Nodes {
		for _, e := range n.Identity.Emails {
			if e.Value != "" {
				return e.Value
			}
		}
		if strings.Contains(n.Identity.NameID, "@") {
			return n.Identity.NameID
		}
	}
	return ""
}

func firstPath(e graphQLError) (string, bool) {
	if len(e.Path) == 0 {
		return "", false
	}
	s, ok := e.Path[0].(string)
	return s, ok
}
