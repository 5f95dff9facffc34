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

// patAccess is one fine-grained PAT with org access, as GitHub lists it
// (go-github v60 has no type for it).
type patAccess struct {
	ID    int64 `json:"id"`
	Owner struct {
		Login string `json:"login"`
	} `json:"owner"`
	Name          string        `json:"token_name"`
	Selection     string        `json:"repository_selection"`
	TokenExpired  bool          `json:"token_expired"`
	TokenExpires  *gh.Timestamp `json:"token_expires_at"`
	TokenLastUsed *gh.Timestamp `json:"token_last_used_at"`
}

// listPATs lists the fine-grained PATs of login with access to the org.
// Only a GitHub App may call this endpoint.
func (c *Connector) listPATs(ctx context.Context, login string) ([]patAccess, error) {
	var all []patAccess
	path := fmt.Sprintf("orgs/%s/personal-access-tokens", url.PathEscape(c.org))
	walk := newPageWalk("list fine-grained tokens")
	for page := 1; page > 0; {
		var items []patAccess
		q := url.Values{"owner[]": {login}, "per_page": {"100"}, "page": {fmt.Sprint(page)}}
		resp, err := c.call(ctx, "list fine-grained tokens", func(ctx context.Context) (*gh.Response, error) {
			return getRaw(ctx, c.appREST, path, q, &items)
		})
		if err != nil {
			return nil, orgError(err)
		}
		for _, p := range items {
			if strings.EqualFold(p.Owner.Login, login) {
				all = append(all, p)
			}
		}
		if page, err = walk.next(resp); err != nil {
			return nil, err
		}
	}
	return all, nil
}

// patGrants groups login's fine-grained PATs into one grant.
func (c *Connector) patGrants(ctx context.Context, acct connectors.Account) ([]connectors.Grant, error) {
	pats, err := c.listPATs(ctx, acct.ID)
	if err != nil || len(pats) == 0 {
		return nil, err
	}
	ids := make([]int64, 0, len(pats))
	lines := make([]string, 0, len(pats))
	var last *time.Time
	for _, p := range pats {
		ids = append(ids, p.ID)
		lines = append(lines, patLine(p))
		if p.TokenLastUsed != nil && (last == nil || p.TokenLastUsed.After(*last)) {
			t := p.TokenLastUsed.Time
			last = &t
		}
	}
	return []connectors.Grant{{
		Account: acct, Kind: KindPATAccess, Ref: joinIDs(ids),
		Title:   fmt.Sprintf("fine-grained PAT access (%d)", len(ids)),
		Context: []string{plural(len(ids), "token")}, Items: lines, LastActive: last,
	}}, nil
}

func patLine(p patAccess) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s repositories)", p.Name, p.Selection)
	switch {
	case p.TokenExpired:
		b.WriteString(", expired")
	case p.TokenExpires != nil:
		b.WriteString(", expires " + p.TokenExpires.Format("2006-01-02"))
	default:
		b.WriteString(", never expires")
	}
	if p.TokenLastUsed != nil {
		b.WriteString(", last used " + p.TokenLastUsed.Format("2006-01-02"))
	} else {
		b.WriteString(", never used")
	}
	return b.String()
}

// revokePATs revokes the org access of the PATs in ref that still have
// it, in one bulk call (202 Accepted). It lists first because the bulk
// call refuses the whole request when one ID is unknown.
func (c *Connector) revokePATs(ctx context.Context, login, ref string) (connectors.Outcome, error) {
	ids, err := splitIDs(ref)
	if err != nil {
		return 0, &connectors.Error{System: connectors.GitHub, Op: "revoke fine-grained tokens", Kind: connectors.KindConfig, Err: err}
	}
	current, err := c.listPATs(ctx, login)
	if err != nil {
		return 0, err
	}
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var left []int64
	for _, p := range current {
		if want[p.ID] {
			left = append(left, p.ID)
		}
	}
	if len(left) == 0 {
		return connectors.AlreadyGone, nil
	}
	path := fmt.Sprintf("orgs/%s/personal-access-tokens", url.PathEscape(c.org))
	body := map[string]any{"action": "revoke", "pat_ids": left}
	// A 404 here: the tokens were revoked between the list and the call.
	return c.remove(ctx, "revoke fine-grained tokens", func(ctx context.Context) (*gh.Response, error) {
		return sendRaw(ctx, c.appREST, "POST", path, body)
	})
}
