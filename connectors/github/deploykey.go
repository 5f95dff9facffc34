package github

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// warnDeployKey is what an approver reads before deleting a deploy key:
// the key belongs to the repository and machines, not the person.
const warnDeployKey = "CI or a deployment may depend on this deploy key; check what uses it before deleting it"

// deployKeyGrants lists the deploy keys of repo that login added, one
// grant each: a deploy key outlives the person who added it, and whoever
// holds its private half keeps the repository access.
func (c *Connector) deployKeyGrants(ctx context.Context, acct connectors.Account, repo string) ([]connectors.Grant, error) {
	keys, err := listAll(ctx, c, "list deploy keys", func(ctx context.Context, lo gh.ListOptions) ([]*gh.Key, *gh.Response, error) {
		return c.rest.Repositories.ListKeys(ctx, c.org, repo, &lo)
	})
	if err != nil {
		return nil, err
	}
	var out []connectors.Grant
	for _, k := range keys {
		if !strings.EqualFold(k.GetAddedBy(), acct.ID) {
			continue
		}
		access := "read-write"
		if k.GetReadOnly() {
			access = "read-only"
		}
		ctxs := []string{repo, access}
		var last *time.Time
		if t := k.GetLastUsed().Time; !t.IsZero() {
			last = &t
			ctxs = append(ctxs, "last used "+t.UTC().Format("2006-01-02"))
		} else {
			ctxs = append(ctxs, "never used")
		}
		if t := k.GetCreatedAt().Time; !t.IsZero() {
			ctxs = append(ctxs, "added "+t.UTC().Format("2006-01-02"))
		}
		out = append(out, connectors.Grant{
			Account: acct, Kind: KindDeployKey, Ref: repo + "/" + strconv.FormatInt(k.GetID(), 10),
			Title:   fmt.Sprintf("deploy key %q on %s", k.GetTitle(), repo),
			Context: ctxs, LastActive: last, Warning: warnDeployKey,
		})
	}
	return out, nil
}

// deleteDeployKey deletes the deploy key in ref ("repo/id").
func (c *Connector) deleteDeployKey(ctx context.Context, ref string) (connectors.Outcome, error) {
	repo, id, err := repoItemRef("delete deploy key", ref)
	if err != nil {
		return 0, err
	}
	return c.remove(ctx, "delete deploy key", func(ctx context.Context) (*gh.Response, error) {
		return c.rest.Repositories.DeleteKey(ctx, c.org, repo, id)
	})
}

// sortGrants orders grants by Ref, so that a discovery's rows come in the
// same order every time whatever order the parallel lookups finished in.
func sortGrants(gs []connectors.Grant) {
	sort.Slice(gs, func(i, j int) bool { return gs[i].Ref < gs[j].Ref })
}
