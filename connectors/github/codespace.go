package github

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// codespaceGrants lists login's Codespaces billed to the org, one grant
// each: a codespace holds a clone of the repository and a token to push
// to it. go-github v60 has no method for the org endpoints, so the
// requests are built by hand.
func (c *Connector) codespaceGrants(ctx context.Context, acct connectors.Account) ([]connectors.Grant, []string, error) {
	spaces, err := c.listCodespaces(ctx)
	if connectors.KindOf(err) == connectors.KindPermission {
		return nil, []string{"Codespaces not checkable: the credentials may not read the org's codespaces"}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var out []connectors.Grant
	for _, cs := range spaces {
		if cs.Owner == nil || !strings.EqualFold(cs.Owner.GetLogin(), acct.ID) {
			continue
		}
		var ctxs []string
		if cs.Repository != nil {
			ctxs = append(ctxs, cs.Repository.GetName())
		}
		ctxs = append(ctxs, strings.ToLower(cs.GetState()))
		var last *time.Time
		if t := cs.GetLastUsedAt().Time; !t.IsZero() {
			last = &t
			ctxs = append(ctxs, "last used "+t.UTC().Format("2006-01-02"))
		}
		g := connectors.Grant{
			Account: acct, Kind: KindCodespace, Ref: cs.GetName(),
			Title: "codespace " + cs.GetName(), Context: ctxs, LastActive: last,
		}
		if st := cs.GitStatus; st != nil && (st.GetHasUnpushedChanges() || st.GetHasUncommittedChanges()) {
			g.Warning = "this codespace holds work not pushed to GitHub; deleting it loses that work"
		}
		out = append(out, g)
	}
	sortGrants(out)
	return out, nil, nil
}

// listCodespaces reads every page of GET /orgs/{org}/codespaces, whose
// items come wrapped in {"total_count", "codespaces"}.
func (c *Connector) listCodespaces(ctx context.Context) ([]*gh.Codespace, error) {
	var all []*gh.Codespace
	path := fmt.Sprintf("orgs/%s/codespaces", url.PathEscape(c.org))
	walk := newPageWalk("list org codespaces")
	for page := 1; page > 0; {
		var body gh.ListCodespaces
		q := url.Values{"per_page": {"100"}, "page": {fmt.Sprint(page)}}
		resp, err := c.call(ctx, "list org codespaces", func(ctx context.Context) (*gh.Response, error) {
			return getRaw(ctx, c.rest, path, q, &body)
		})
		if err != nil {
			return nil, orgError(err)
		}
		all = append(all, body.Codespaces...)
		if page, err = walk.next(resp); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].GetName() < all[j].GetName() })
	return all, nil
}

// deleteCodespace deletes login's codespace name. GitHub answers 202: the
// deletion is accepted and runs on; the codespace is gone from the list.
func (c *Connector) deleteCodespace(ctx context.Context, login, name string) (connectors.Outcome, error) {
	path := fmt.Sprintf("orgs/%s/members/%s/codespaces/%s", url.PathEscape(c.org), url.PathEscape(login), url.PathEscape(name))
	return c.remove(ctx, "delete codespace", func(ctx context.Context) (*gh.Response, error) {
		return sendRaw(ctx, c.rest, "DELETE", path, nil)
	})
}
