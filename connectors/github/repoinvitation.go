package github

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// repoInvitationGrants lists the pending invitations of login to repo: an
// invitation accepted after offboarding would restore the access.
func (c *Connector) repoInvitationGrants(ctx context.Context, acct connectors.Account, repo string) ([]connectors.Grant, error) {
	invs, err := listAll(ctx, c, "list repository invitations", func(ctx context.Context, lo gh.ListOptions) ([]*gh.RepositoryInvitation, *gh.Response, error) {
		return c.rest.Repositories.ListInvitations(ctx, c.org, repo, &lo)
	})
	if err != nil {
		return nil, err
	}
	var out []connectors.Grant
	for _, inv := range invs {
		if inv.Invitee == nil || !strings.EqualFold(inv.Invitee.GetLogin(), acct.ID) {
			continue
		}
		ctxs := []string{repo, inv.GetPermissions(), "invited " + inv.GetCreatedAt().UTC().Format("2006-01-02")}
		if inv.Inviter != nil {
			ctxs = append(ctxs, "by "+inv.Inviter.GetLogin())
		}
		out = append(out, connectors.Grant{
			Account: acct, Kind: KindRepoInvitation, Ref: repo + "/" + strconv.FormatInt(inv.GetID(), 10),
			Title: fmt.Sprintf("pending invitation to %s", repo), Context: ctxs,
		})
	}
	return out, nil
}

// cancelRepoInvitation deletes the repository invitation in ref ("repo/id").
func (c *Connector) cancelRepoInvitation(ctx context.Context, ref string) (connectors.Outcome, error) {
	repo, id, err := repoItemRef("cancel repository invitation", ref)
	if err != nil {
		return 0, err
	}
	return c.remove(ctx, "cancel repository invitation", func(ctx context.Context) (*gh.Response, error) {
		return c.rest.Repositories.DeleteInvitation(ctx, c.org, repo, id)
	})
}
