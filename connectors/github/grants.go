package github

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/offboard/offboard/connectors"
)

// Grant kinds this connector reports; policy rules match on them.
const (
	KindMembership     = "membership"
	KindCollaborator   = "collaborator"
	KindInvitation     = "invitation"
	KindRepoInvitation = "repo_invitation"
	KindSSOCredentials = "sso_credentials"
	KindPATAccess      = "pat_access"
	KindDeployKey      = "deploy_key"
	KindCodespace      = "codespace"
)

// Notes on the membership grant about what the credentials cannot see.
const (
	notePATsNeedApp   = "fine-grained PATs not checkable without a GitHub App"
	noteSSONeedsToken = "SSO credentials not checkable without a token"
)

// Grants lists what login acct.ID can reach in the org now: membership,
// outside-collaborator access, pending org invitations (by login, or by
// one of acct.Emails), pending repository invitations, deploy keys they
// added, org-billed Codespaces, SSO-authorized credentials (a token only:
// GitHub refuses Apps) and fine-grained PAT access (an App only: GitHub
// refuses tokens). The lookups run in parallel. A login with nothing in
// the org has no grants and no error.
func (c *Connector) Grants(ctx context.Context, acct connectors.Account) ([]connectors.Grant, error) {
	acct = c.account(acct)
	if acct.ID == "" {
		// A person with no login yet may still hold an invitation sent to
		// their address; nothing else can be looked up without a login.
		gs, err := c.invitationGrants(ctx, acct)
		if err != nil {
			return nil, fmt.Errorf("list invitations of %s: %w", strings.Join(acct.Emails, ", "), err)
		}
		return gs, nil
	}
	var member, collab *connectors.Grant
	var invites, repoInvites, keys, spaces, sso, pats []connectors.Grant
	var repoNotes, spaceNotes, ssoNotes, patNotes []string
	g, gctx := newGroup(ctx)
	g.Go(func() (err error) { member, err = c.membershipGrant(gctx, acct); return err })
	g.Go(func() (err error) { collab, err = c.collaboratorGrant(gctx, acct); return err })
	g.Go(func() (err error) { invites, err = c.invitationGrants(gctx, acct); return err })
	g.Go(func() (err error) { repoInvites, keys, repoNotes, err = c.repoGrants(gctx, acct); return err })
	g.Go(func() (err error) { spaces, spaceNotes, err = c.codespaceGrants(gctx, acct); return err })
	if c.tokenREST != nil {
		g.Go(func() (err error) {
			sso, err = c.ssoGrants(gctx, acct)
			ssoNotes, err = refusedAsNote(err, "SSO credentials not checkable: the token may not list credential authorizations")
			return err
		})
	}
	if c.appREST != nil {
		g.Go(func() (err error) {
			pats, err = c.patGrants(gctx, acct)
			patNotes, err = refusedAsNote(err, "fine-grained PATs not checkable: the App may not list them")
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("list grants of %s: %w", acct.ID, err)
	}
	// What the credentials could not look at is said on the person's main
	// row (membership, else outside-collaborator access), so that a short
	// checklist is not read as a complete one.
	var blind []string
	if c.appREST == nil {
		blind = append(blind, notePATsNeedApp)
	}
	if c.tokenREST == nil {
		blind = append(blind, noteSSONeedsToken)
	}
	for _, notes := range [][]string{repoNotes, spaceNotes, ssoNotes, patNotes} {
		blind = append(blind, notes...)
	}
	var out []connectors.Grant
	switch {
	case member != nil:
		member.Context = append(member.Context, blind...)
	case collab != nil:
		collab.Context = append(collab.Context, blind...)
	}
	if member != nil {
		out = append(out, *member)
	}
	if collab != nil {
		out = append(out, *collab)
	}
	for _, gs := range [][]connectors.Grant{invites, repoInvites, keys, spaces, sso, pats} {
		out = append(out, gs...)
	}
	if err := c.protect(ctx, out); err != nil {
		return nil, fmt.Errorf("list grants of %s: %w", acct.ID, err)
	}
	return out, nil
}

// Revoke removes one grant. Access already gone is AlreadyGone; a grouped
// grant is AlreadyGone when every item in it was.
func (c *Connector) Revoke(ctx context.Context, g connectors.Grant) (connectors.Outcome, error) {
	login := g.Account.ID
	if login == "" && g.Kind != KindInvitation { // an invitation to an address has no login yet
		return 0, &connectors.Error{System: connectors.GitHub, Op: "revoke", Kind: connectors.KindConfig, Err: fmt.Errorf("grant %q has no login", g.Kind)}
	}
	switch g.Kind {
	case KindMembership:
		return c.removeMember(ctx, login)
	case KindCollaborator:
		return c.removeCollaborator(ctx, login)
	case KindInvitation:
		return c.cancelInvitation(ctx, g.Ref)
	case KindRepoInvitation:
		return c.cancelRepoInvitation(ctx, g.Ref)
	case KindSSOCredentials:
		return c.removeCredentials(ctx, g.Ref)
	case KindPATAccess:
		return c.revokePATs(ctx, login, g.Ref)
	case KindDeployKey:
		return c.deleteDeployKey(ctx, g.Ref)
	case KindCodespace:
		return c.deleteCodespace(ctx, login, g.Ref)
	}
	return 0, &connectors.Error{System: connectors.GitHub, Op: "revoke", Kind: connectors.KindConfig, Err: fmt.Errorf("unknown grant kind %q", g.Kind)}
}

// refusedAsNote turns a permission refusal of one optional grant class
// into a note for the row, so that one unreadable class does not hide the
// others; any other error stays an error.
func refusedAsNote(err error, note string) ([]string, error) {
	if connectors.KindOf(err) == connectors.KindPermission {
		return []string{note}, nil
	}
	return nil, err
}

// refError is the error of a grant whose Ref this connector cannot read.
func refError(op, ref string) error {
	return &connectors.Error{System: connectors.GitHub, Op: op, Kind: connectors.KindConfig, Err: fmt.Errorf("bad reference %q", ref)}
}

// splitRef cuts a Ref of the form "a/b" into its two parts.
func splitRef(ref string) (string, string, bool) {
	a, b, ok := strings.Cut(ref, "/")
	return a, b, ok && a != "" && b != ""
}

// repoItemRef reads a Ref of the form "repo/id", the form of grants that
// are one numbered thing in one repository (a deploy key, an invitation).
func repoItemRef(op, ref string) (string, int64, error) {
	repo, idText, ok := splitRef(ref)
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil {
		return "", 0, refError(op, ref)
	}
	return repo, id, nil
}
