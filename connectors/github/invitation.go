package github

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// invitationGrants finds pending org invitations of the person: those to
// login, and those sent to one of the person's addresses before there was
// a login (GitHub lists them with a null login and the address). The
// addresses are acct.Emails and, when an invitation by address is
// pending at all, those of login's SAML identity in the org.
func (c *Connector) invitationGrants(ctx context.Context, acct connectors.Account) ([]connectors.Grant, error) {
	invs, err := listAll(ctx, c, "list invitations", func(ctx context.Context, lo gh.ListOptions) ([]*gh.Invitation, *gh.Response, error) {
		return c.rest.Organizations.ListPendingOrgInvitations(ctx, c.org, &lo)
	})
	if err != nil {
		return nil, orgError(err)
	}
	emails := acct.Emails
	if acct.ID != "" && slices.ContainsFunc(invs, func(inv *gh.Invitation) bool { return inv.GetLogin() == "" }) {
		emails = append(slices.Clone(emails), c.samlEmails(ctx, acct.ID)...)
	}
	var out []connectors.Grant
	for _, inv := range invs {
		byEmail := inv.GetLogin() == "" && hasEmail(emails, inv.GetEmail())
		if !byEmail && (inv.GetLogin() == "" || !strings.EqualFold(inv.GetLogin(), acct.ID)) {
			continue
		}
		title := "pending invitation"
		if byEmail {
			title = "pending invitation to " + inv.GetEmail()
		}
		role := inv.GetRole()
		if role == "direct_member" {
			role = "member"
		}
		ctxs := []string{role, "invited " + inv.GetCreatedAt().Format("2006-01-02")}
		if inv.Inviter != nil {
			ctxs = append(ctxs, "by "+inv.Inviter.GetLogin())
		}
		out = append(out, connectors.Grant{
			Account: acct, Kind: KindInvitation, Ref: strconv.FormatInt(inv.GetID(), 10),
			Title: title, Context: ctxs,
		})
	}
	return out, nil
}

// cancelInvitation deletes invitation id. go-github v60 has no method for
// DELETE /orgs/{org}/invitations/{id}, so the request is built by hand.
func (c *Connector) cancelInvitation(ctx context.Context, ref string) (connectors.Outcome, error) {
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		return 0, &connectors.Error{System: connectors.GitHub, Op: "cancel invitation", Kind: connectors.KindConfig, Err: fmt.Errorf("bad invitation id %q", ref)}
	}
	path := fmt.Sprintf("orgs/%s/invitations/%d", url.PathEscape(c.org), id)
	return c.remove(ctx, "cancel invitation", func(ctx context.Context) (*gh.Response, error) {
		return sendRaw(ctx, c.rest, "DELETE", path, nil)
	})
}

// hasEmail says whether email is one of emails, ignoring case.
func hasEmail(emails []string, email string) bool {
	if email == "" {
		return false
	}
	for _, e := range emails {
		if strings.EqualFold(strings.TrimSpace(e), email) {
			return true
		}
	}
	return false
}
