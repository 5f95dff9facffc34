package github

import (
	"context"
	"strings"

	"github.com/offboard/offboard/connectors"
)

const identitiesByEmailQuery = `query($org: String!, $email: String!) {
  organization(login: $org) {
    samlIdentityProvider {
      externalIdentities(first: 10, userName: $email) {
        nodes { samlIdentity { nameId emails { value } } scimIdentity { username } user { login } }
      }
    }
  }
}`

// FindByEmail finds the logins whose org SAML identity has email as its
// NameID or SCIM userName, checking the identity's emails too. It is empty
// when the org has no SAML provider or the identity is not linked to a
// login. An identity whose NameID is not the email is not found: GitHub
// filters on NameID/userName only.
func (c *Connector) FindByEmail(ctx context.Context, email string) ([]connectors.Account, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, nil
	}
	info, err := c.orgInfo(ctx)
	if err != nil || !info.hasSAML {
		return nil, err
	}
	var out struct {
		Organization struct {
			SAML *struct {
				Identities struct {
					Nodes []struct {
						SAML *struct {
							NameID string `json:"nameId"`
							Emails []struct {
								Value string `json:"value"`
							} `json:"emails"`
						} `json:"samlIdentity"`
						SCIM *struct {
							Username string `json:"username"`
						} `json:"scimIdentity"`
						User *struct {
							Login string `json:"login"`
						} `json:"user"`
					} `json:"nodes"`
				} `json:"externalIdentities"`
			} `json:"samlIdentityProvider"`
		} `json:"organization"`
	}
	if _, err := c.graphql(ctx, "find identity by email", identitiesByEmailQuery, map[string]any{"org": c.org, "email": email}, &out); err != nil {
		return nil, err
	}
	if out.Organization.SAML == nil {
		return nil, nil
	}
	var accts []connectors.Account
	seen := map[string]bool{}
	for _, n := range out.Organization.SAML.Identities.Nodes {
		if n.User == nil || seen[strings.ToLower(n.User.Login)] {
			continue
		}
		match := n.SCIM != nil && strings.EqualFold(n.SCIM.Username, email)
		if n.SAML != nil {
			match = match || strings.EqualFold(n.SAML.NameID, email)
			for _, e := range n.SAML.Emails {
				match = match || strings.EqualFold(e.Value, email)
			}
		}
		if match {
			seen[strings.ToLower(n.User.Login)] = true
			accts = append(accts, connectors.Account{System: connectors.GitHub, Scope: c.org, ID: n.User.Login, LinkedBy: connectors.LinkEmail})
		}
	}
	return accts, nil
}
