package github

import (
	"context"
	"strings"
)

const samlEmailsQuery = `query($org: String!, $login: String!) {
  organization(login: $org) {
    samlIdentityProvider {
      externalIdentities(first: 1, login: $login) { nodes { samlIdentity { nameId emails { value } } } }
    }
  }
}`

// samlEmails lists the addresses of login's SAML identity in the org (its
// emails, and its NameID when that is an address). It is a refinement: an
// org without SAML, or a lookup that fails, gives none.
func (c *Connector) samlEmails(ctx context.Context, login string) []string {
	info, err := c.orgInfo(ctx)
	if err != nil || !info.hasSAML {
		return nil
	}
	var out struct {
		Organization struct {
			SAML *struct {
				Identities struct {
					Nodes []struct {
						Identity *struct {
							NameID string `json:"nameId"`
							Emails []struct {
								Value string `json:"value"`
							} `json:"emails"`
						} `json:"samlIdentity"`
					} `json:"nodes"`
				} `json:"externalIdentities"`
			} `json:"samlIdentityProvider"`
		} `json:"organization"`
	}
	if _, err := c.graphql(ctx, "get saml emails", samlEmailsQuery, map[string]any{"org": c.org, "login": login}, &out); err != nil {
		c.log.Debug().Err(err).Str("login", login).Msg("saml identity unreadable; matching invitations on the given emails only")
		return nil
	}
	if out.Organization.SAML == nil {
		return nil
	}
	var emails []string
	for _, n := range out.Organization.SAML.Identities.Nodes {
		if n.Identity == nil {
			continue
		}
		for _, e := range n.Identity.Emails {
			emails = append(emails, e.Value)
		}
		if strings.Contains(n.Identity.NameID, "@") {
			emails = append(emails, n.Identity.NameID)
		}
	}
	return emails
}
