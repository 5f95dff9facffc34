package github

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// ssoGrants groups login's SAML-SSO credential authorizations into one
// grant. GitHub filters the list by login (a parameter go-github v60 does
// not offer, hence the hand-built request). An org without SAML answers
// 404: no grant.
func (c *Connector) ssoGrants(ctx context.Context, acct connectors.Account) ([]connectors.Grant, error) {
	var creds []*gh.CredentialAuthorization
	path := fmt.Sprintf("orgs/%s/credential-authorizations", url.PathEscape(c.org))
	walk := newPageWalk("list credential authorizations")
	for page := 1; page > 0; {
		var items []*gh.CredentialAuthorization
		q := url.Values{"login": {acct.ID}, "per_page": {"100"}, "page": {fmt.Sprint(page)}}
		resp, err := c.call(ctx, "list credential authorizations", func(ctx context.Context) (*gh.Response, error) {
			return getRaw(ctx, c.tokenREST, path, q, &items)
		})
		if notFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		creds = append(creds, items...)
		if page, err = walk.next(resp); err != nil {
			return nil, err
		}
	}
	var ids []int64
	var lines []string
	var last *time.Time
	for _, cr := range creds {
		if !strings.EqualFold(cr.GetLogin(), acct.ID) {
			continue
		}
		ids = append(ids, cr.GetCredentialID())
		lines = append(lines, credentialLine(cr))
		if t := cr.GetCredentialAccessedAt().Time; !t.IsZero() && (last == nil || t.After(*last)) {
			last = &t
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return []connectors.Grant{{
		Account: acct, Kind: KindSSOCredentials, Ref: joinIDs(ids),
		Title:   fmt.Sprintf("SSO-authorized credentials (%d)", len(ids)),
		Context: []string{plural(len(ids), "credential")}, Items: lines, LastActive: last,
	}}, nil
}

// credentialLine describes one credential the way an approver recognises it.
func credentialLine(cr *gh.CredentialAuthorization) string {
	var b strings.Builder
	b.WriteString(cr.GetCredentialType())
	if s := cr.GetTokenLastEight(); s != "" {
		b.WriteString(" …" + s)
	}
	if s := cr.GetFingerprint(); s != "" {
		b.WriteString(" " + s)
	}
	if len(cr.Scopes) > 0 {
		b.WriteString(" (" + strings.Join(cr.Scopes, ", ") + ")")
	}
	if t := cr.GetCredentialAccessedAt().Time; !t.IsZero() {
		b.WriteString(", last used " + t.Format("2006-01-02"))
	} else {
		b.WriteString(", never used")
	}
	return b.String()
}

// removeCredentials removes each credential authorization in ref.
func (c *Connector) removeCredentials(ctx context.Context, ref string) (connectors.Outcome, error) {
	ids, err := splitIDs(ref)
	if err != nil {
		return 0, &connectors.Error{System: connectors.GitHub, Op: "remove credential authorizations", Kind: connectors.KindConfig, Err: err}
	}
	removed := 0
	for _, id := range ids {
		_, err := c.call(ctx, "remove credential authorization", func(ctx context.Context) (*gh.Response, error) {
			return c.tokenREST.Organizations.RemoveCredentialAuthorization(ctx, c.org, id)
		})
		switch {
		case notFound(err):
		case err != nil:
			return 0, err
		default:
			removed++
		}
	}
	if removed == 0 {
		return connectors.AlreadyGone, nil
	}
	return connectors.Revoked, nil
}
