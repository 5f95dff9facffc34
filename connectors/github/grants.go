package github

import (
	"context"
	"fmt"

	"github.com/offboard/offboard/connectors"
)

// Grant kinds this connector reports; policy rules match on them.
const (
	KindMembership     = "membership"
	KindCollaborator   = "collaborator"
	KindInvitation     = "invitation"
	KindSSOCredentials = "sso_credentials"
	KindPATAccess      = "pat_access"
)

// Notes on the membership grant about what the credentials cannot see.
const (
	notePATsNeedApp   = "fine-grained PATs not checkable without a GitHub App"
	noteSSONeedsToken = "SSO credentials not checkable with a GitHub App"
)

// Grants lists what login acct.ID can reach in the org now: membership,
// outside-collaborator access, a pending invitation, SSO-authorized
// credentials (token credentials only; GitHub refuses Apps) and
// fine-grained PAT access (App credentials only; GitHub refuses tokens).
// The lookups run in parallel. A login with nothing in the org has no
// grants and no error.
func (c *Connector) Grants(ctx context.Context, acct connectors.Account) ([]connectors.Grant, error) {
	acct = c.account(acct)
	var member, collab *connectors.Grant
	var invites, sso, pats []connectors.Grant
	g, gctx := newGroup(ctx)
	g.Go(func() (err error) { member, err = c.membershipGrant(gctx, acct); return err })
	g.Go(func() (err error) { collab, err = c.collaboratorGrant(gctx, acct); return err })
	g.Go(func() (err error) { invites, err = c.invitationGrants(gctx, acct); return err })
	if c.app == nil {
		g.Go(func() (err error) { sso, err = c.ssoGrants(gctx, acct); return err })
	} else {
		g.Go(func() (err error) { pats, err = c.patGrants(gctx, acct); return err })
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("list grants of %s: %w", acct.ID, err)
	}
	var out []connectors.Grant
	if member != nil {
		if c.app == nil {
			member.Context = append(member.Context, notePATsNeedApp)
		} else {
			member.Context = append(member.Context, noteSSONeedsToken)
		}
		out = append(out, *member)
	}
	if collab != nil {
		out = append(out, *collab)
	}
	out = append(out, invites...)
	out = append(out, sso...)
	out = append(out, pats...)
	return out, nil
}

// Revoke removes one grant. Access already gone is AlreadyGone; a grouped
// grant is AlreadyGone when every item in it was.
func (c *Connector) Revoke(ctx context.Context, g connectors.Grant) (connectors.Outcome, error) {
	login := g.Account.ID
	if login == "" {
		return 0, &connectors.Error{System: connectors.GitHub, Op: "revoke", Kind: connectors.KindConfig, Err: fmt.Errorf("grant %q has no login", g.Kind)}
	}
	switch g.Kind {
	case KindMembership:
		return c.removeMember(ctx, login)
	case KindCollaborator:
		return c.removeCollaborator(ctx, login)
	case KindInvitation:
		return c.cancelInvitation(ctx, g.Ref)
	case KindSSOCredentials:
		return c.removeCredentials(ctx, g.Ref)
	case KindPATAccess:
		return c.revokePATs(ctx, login, g.Ref)
	}
	return 0, &connectors.Error{System: connectors.GitHub, Op: "revoke", Kind: connectors.KindConfig, Err: fmt.Errorf("unknown grant kind %q", g.Kind)}
}
