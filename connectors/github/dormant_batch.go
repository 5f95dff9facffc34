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

// query builds one GraphQL query for logins: per member an alias uN with
// createdAt and one contributionsCollection per window, and, when the org
// has SAML, an alias sN with the member's SAML emails.
func (s *dormancyScan) query(logins []string) string {
	var b strings.Builder
	b.WriteString("query($orgID: ID!, $org: String!) {\n")
	wins := s.windows()
	for i, l := range logins {
		fmt.Fprintf(&b, "u%d: user(login: %s) { login createdAt", i, quote(l))
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

// batch asks about logins in one call and returns the dormant ones.
// A login GitHub no longer resolves (deleted since the list was read) is
// skipped; a SAML lookup that fails only loses the email.
func (s *dormancyScan) batch(ctx context.Context, logins []string) ([]connectors.Dormant, error) {
	var data map[string]json.RawMessage
	errs, err := s.c.graphql(ctx, "get member contributions", s.query(logins), map[string]any{"orgID": s.info.id, "org": s.c.org}, &data)
	if err != nil {
		return nil, err
	}
	for _, e := range errs {
		alias, _ := firstPath(e)
		if e.Type != "NOT_FOUND" && !strings.HasPrefix(alias, "s") {
			ge := graphQLErrors{e}
			return nil, classify("get member contributions", &ge)
		}
	}
	var out []connectors.Dormant
	for i, login := range logins {
		raw := data[fmt.Sprintf("u%d", i)]
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
		out = append(out, connectors.Dormant{
			Account: connectors.Account{System: connectors.GitHub, Scope: s.c.org, ID: u.Login},
			Email:   samlEmail(data[fmt.Sprintf("s%d", i)]),
			Why:     fmt.Sprintf("no contributions in %d days", s.days),
		})
	}
	return out, nil
}

// dormant judges one member from its createdAt, join time and windows.
func (s *dormancyScan) dormant(u batchUser, fields map[string]json.RawMessage) bool {
	if u.CreatedAt.After(s.from) {
		return false // an account younger than the window
	}
	if t, ok := s.joined[strings.ToLower(u.Login)]; ok && t.After(s.from) {
		return false // joined the org within the window
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
