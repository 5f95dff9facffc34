package github

import (
	"context"
	"sort"
	"sync"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// repoGrants walks the org's repositories once for what lives in each and
// outlives the person: pending repository invitations to login and
// deploy keys login added. It costs one call per 100 repositories and two
// per repository, at most MaxConcurrency at a time; unchanged lists are
// answered 304 from the ETag cache and cost no rate limit. Credentials
// that may not read a repository's keys or invitations leave a note
// instead of failing the whole discovery.
func (c *Connector) repoGrants(ctx context.Context, acct connectors.Account) (invites, keys []connectors.Grant, notes []string, err error) {
	repos, err := listAll(ctx, c, "list org repositories", func(ctx context.Context, lo gh.ListOptions) ([]*gh.Repository, *gh.Response, error) {
		return c.rest.Repositories.ListByOrg(ctx, c.org, &gh.RepositoryListByOrgOptions{Type: "all", ListOptions: lo})
	})
	if connectors.KindOf(err) == connectors.KindPermission {
		return nil, nil, []string{"deploy keys and repository invitations not checkable: the credentials may not list the org's repositories"}, nil
	}
	if err != nil {
		return nil, nil, nil, orgError(err)
	}
	var mu sync.Mutex
	denied := map[string]bool{}
	hidden := map[string]int{} // 404s: GitHub hides private repositories from a token without the repo scope
	g, gctx := newGroup(ctx)
	slots := make(chan struct{}, c.opts.MaxConcurrency)
	for _, r := range repos {
		name := r.GetName()
		for _, what := range []string{"invitations", "keys"} {
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
		if denied[what] || (len(repos) > 0 && hidden[what] == len(repos)) {
			notes = append(notes, label+" not checkable: the credentials may not read repository administration")
		}
	}
	sort.Strings(notes)
	sortGrants(keys)
	sortGrants(invites)
	return invites, keys, notes, nil
}
