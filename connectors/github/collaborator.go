package github

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// maxRepoNames is how many repository names the grant's context shows.
const maxRepoNames = 5

// collaboratorGrant finds login among the org's outside collaborators
// (the list is read with ETags, so an unchanged list costs no rate limit)
// and, when there, the repositories they reach.
func (c *Connector) collaboratorGrant(ctx context.Context, acct connectors.Account) (*connectors.Grant, error) {
	users, err := listAll(ctx, c, "list outside collaborators", func(ctx context.Context, lo gh.ListOptions) ([]*gh.User, *gh.Response, error) {
		return c.rest.Organizations.ListOutsideCollaborators(ctx, c.org, &gh.ListOutsideCollaboratorsOptions{ListOptions: lo})
	})
	if err != nil {
		return nil, orgError(err)
	}
	found := false
	for _, u := range users {
		found = found || strings.EqualFold(u.GetLogin(), acct.ID)
	}
	if !found {
		return nil, nil
	}
	repos, err := c.collaboratorRepos(ctx, acct.ID)
	if err != nil {
		return nil, err
	}
	shown := repos
	if len(shown) > maxRepoNames {
		shown = append(shown[:maxRepoNames:maxRepoNames], fmt.Sprintf("+%d more", len(repos)-maxRepoNames))
	}
	return &connectors.Grant{
		Account: acct, Kind: KindCollaborator, Ref: acct.ID, Title: "outside collaborator",
		Context: []string{plural(len(repos), "repository"), strings.Join(shown, ", ")},
		Items:   repos,
	}, nil
}

const collaboratorReposQuery = `query($org: String!, $login: String!, $after: String) {
  organization(login: $org) {
    repositories(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { name collaborators(first: 1, login: $login, affiliation: OUTSIDE) { totalCount } }
    }
  }
}`

// collaboratorRepos lists the org repositories login reaches as an outside
// collaborator: one GraphQL call per 100 repositories, rather than one
// REST call per repository.
func (c *Connector) collaboratorRepos(ctx context.Context, login string) ([]string, error) {
	var repos []string
	var after any
	seen := map[string]bool{}
	for {
		var out struct {
			Organization struct {
				Repositories struct {
					PageInfo struct {
						HasNextPage bool   `json:"hasNextPage"`
						EndCursor   string `json:"endCursor"`
					} `json:"pageInfo"`
					Nodes []struct {
						Name          string `json:"name"`
						Collaborators *struct {
							TotalCount int `json:"totalCount"`
						} `json:"collaborators"`
					} `json:"nodes"`
				} `json:"repositories"`
			} `json:"organization"`
		}
		vars := map[string]any{"org": c.org, "login": login, "after": after}
		if _, err := c.graphql(ctx, "list collaborator repositories", collaboratorReposQuery, vars, &out); err != nil {
			return nil, err
		}
		for _, n := range out.Organization.Repositories.Nodes {
			if n.Collaborators != nil && n.Collaborators.TotalCount > 0 {
				repos = append(repos, n.Name)
			}
		}
		page := out.Organization.Repositories.PageInfo
		if !page.HasNextPage {
			return repos, nil
		}
		if seen[page.EndCursor] {
			return nil, cursorLoop("list collaborator repositories", page.EndCursor)
		}
		seen[page.EndCursor] = true
		after = page.EndCursor
	}
}

// removeCollaborator takes login off every org repository. GitHub answers
// 204, 404 when there is nothing to remove, and 422 when login has become
// a member since the grant was listed: then removing the membership is a
// different and larger step, a person's decision that no retry can make.
func (c *Connector) removeCollaborator(ctx context.Context, login string) (connectors.Outcome, error) {
	_, err := c.call(ctx, "remove outside collaborator", func(ctx context.Context) (*gh.Response, error) {
		return c.rest.Organizations.RemoveOutsideCollaborator(ctx, c.org, login)
	})
	switch {
	case notFound(err):
		return connectors.AlreadyGone, nil
	case statusOf(err) == http.StatusUnprocessableEntity:
		return 0, &connectors.Error{System: connectors.GitHub, Op: "remove outside collaborator", Kind: connectors.KindDecision,
			Err: fmt.Errorf("%s is now a member of %s, not an outside collaborator: revoke the org membership instead, or keep the access", login, c.org)}
	case err != nil:
		return 0, err
	}
	return connectors.Revoked, nil
}
