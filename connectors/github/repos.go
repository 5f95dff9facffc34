package github

import (
	"context"
	"sort"
	"sync"

	"github.com/offboard/offboard/connectors"
)

// repoGrants walks the org's repositories once for what lives in each and
// outlives the person: pending repository invitations to login and
// deploy keys login added. One GraphQL call per 100 repositories lists
// them with a count of their deploy keys; then REST lists the invitations
// of each repository and the keys of those that have any (GraphQL does
// not say who added a key), at most MaxConcurrency at a time. Unchanged
// lists are answered 304 from the ETag cache and cost no rate limit.
// Credentials that may not read a repository's keys or invitations leave
// a note instead of failing the whole discovery.
func (c *Connector) repoGrants(ctx context.Context, acct connectors.Account) (invites, keys []connectors.Grant, notes []string, err error) {
	repos, keysDenied, err := c.orgRepos(ctx)
	if connectors.KindOf(err) == connectors.KindPermission {
		return nil, nil, []string{"deploy keys and repository invitations not checkable: the credentials may not list the org's repositories"}, nil
	}
	if err != nil {
		return nil, nil, nil, orgError(err)
	}
	var mu sync.Mutex
	denied := map[string]bool{"keys": keysDenied}
	hidden := map[string]int{} // 404s: GitHub hides private repositories from a token without the repo scope
	g, gctx := newGroup(ctx)
	slots := make(chan struct{}, c.opts.MaxConcurrency)
	withKeys := 0
	for _, r := range repos {
		name := r.name
		whats := []string{"invitations"}
		if r.keys > 0 {
			whats, withKeys = append(whats, "keys"), withKeys+1
		}
		for _, what := range whats {
			g.Go(func() error {
				select {
				case slots <- struct{}{}:
				case <-gctx.Done():
					return gctx.Err()
				}
				defer func() { <-slots }()
				mu.Lock()
				skip := denied[what] // refused once: the credentials lack the permission everywhere
				mu.Unlock()
				if skip {
					return nil
				}
				var found []connectors.Grant
				var err error
				if what == "keys" {
					found, err = c.deployKeyGrants(gctx, acct, name)
				} else {
					found, err = c.repoInvitationGrants(gctx, acct, name)
				}
				mu.Lock()
				defer mu.Unlock()
				switch {
				case notFound(err): // the repository went away meanwhile, or is hidden
					hidden[what]++
				case connectors.KindOf(err) == connectors.KindPermission:
					denied[what] = true
				case err != nil:
					return err
				case what == "keys":
					keys = append(keys, found...)
				default:
					invites = append(invites, found...)
				}
				return nil
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, nil, nil, err
	}
	for what, label := range map[string]string{"keys": "deploy keys", "invitations": "repository invitations"} {
		asked := map[string]int{"keys": withKeys, "invitations": len(repos)}[what]
		if denied[what] || (asked > 0 && hidden[what] == asked) {
			notes = append(notes, label+" not checkable: the credentials may not read repository administration")
		}
	}
	sort.Strings(notes)
	sortGrants(keys)
	sortGrants(invites)
	return invites, keys, notes, nil
}

// orgRepo is one of the org's repositories and how many deploy keys it has.
type orgRepo struct {
	name string
	keys int
}

const orgReposQuery = `query($org: String!, $after: String) {
  organization(login: $org) {
    repositories(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { name deployKeys(first: 1) { totalCount } }
    }
  }
}`

// orgRepos lists the org's repositories with their deploy-key counts.
// keysDenied is true when GitHub refused the counts (the credentials may
// not read repository administration); the repositories are still listed.
// A cursor seen before ends the walk with an error, as pageWalk does for
// REST.
func (c *Connector) orgRepos(ctx context.Context) (repos []orgRepo, keysDenied bool, err error) {
	var after any
	seen := map[string]bool{}
	for {
		var out struct {
			Organization *struct {
				Repositories struct {
					PageInfo struct {
						HasNextPage bool   `json:"hasNextPage"`
						EndCursor   string `json:"endCursor"`
					} `json:"pageInfo"`
					Nodes []struct {
						Name       string `json:"name"`
						DeployKeys *struct {
							TotalCount int `json:"totalCount"`
						} `json:"deployKeys"`
					} `json:"nodes"`
				} `json:"repositories"`
			} `json:"organization"`
		}
		errs, err := c.graphql(ctx, "list org repositories", orgReposQuery, map[string]any{"org": c.org, "after": after}, &out)
		if err != nil {
			return nil, false, err
		}
		for _, e := range errs {
			if e.Type != "FORBIDDEN" {
				ge := graphQLErrors{e}
				return nil, false, classify("list org repositories", &ge)
			}
			keysDenied = true
		}
		if out.Organization == nil {
			return nil, false, &connectors.Error{System: connectors.GitHub, Op: "list org repositories", Kind: connectors.KindConfig, Err: errNoOrg(c.org)}
		}
		for _, n := range out.Organization.Repositories.Nodes {
			r := orgRepo{name: n.Name}
			if n.DeployKeys != nil {
				r.keys = n.DeployKeys.TotalCount
			}
			repos = append(repos, r)
		}
		page := out.Organization.Repositories.PageInfo
		if !page.HasNextPage {
			return repos, keysDenied, nil
		}
		if seen[page.EndCursor] {
			return nil, false, cursorLoop("list org repositories", page.EndCursor)
		}
		seen[page.EndCursor] = true
		after = page.EndCursor
	}
}
