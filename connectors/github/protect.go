package github

import (
	"context"
	"fmt"
	"strings"
	"sync"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// selfKinds are the grants of the token's owner whose removal would cut
// offboard off from GitHub: the membership that makes the token an owner,
// the SSO authorization of the token itself, a fine-grained token's org
// access.
var selfKinds = map[string]bool{KindMembership: true, KindSSOCredentials: true, KindPATAccess: true}

// tokenOwner caches the login the token belongs to.
type tokenOwner struct {
	mu    sync.Mutex
	login string
}

// protect marks the grants offboard must never revoke because they hold
// offboard's own token; flows shows them and never runs them
// (docs/design.md, "Protected grants"). The org's last owner is marked
// where the membership is read.
func (c *Connector) protect(ctx context.Context, gs []connectors.Grant) error {
	if len(gs) == 0 || c.tokenREST == nil {
		return nil
	}
	self, err := c.tokenLogin(ctx)
	if err != nil {
		return err
	}
	for i := range gs {
		g := &gs[i]
		if selfKinds[g.Kind] && strings.EqualFold(g.Account.ID, self) && g.Protected == "" {
			g.Protected = "offboard's own GitHub token belongs to this account; removing it would stop offboard"
		}
	}
	return nil
}

// tokenLogin is the login of the token's owner, read once.
func (c *Connector) tokenLogin(ctx context.Context) (string, error) {
	c.self.mu.Lock()
	defer c.self.mu.Unlock()
	if c.self.login != "" {
		return c.self.login, nil
	}
	var u *gh.User
	_, err := c.call(ctx, "get authenticated user", func(ctx context.Context) (*gh.Response, error) {
		var resp *gh.Response
		var err error
		u, resp, err = c.tokenREST.Users.Get(ctx, "")
		return resp, err
	})
	if err != nil {
		return "", err
	}
	c.self.login = u.GetLogin()
	return c.self.login, nil
}

// owners lists the org's owners (members with role admin).
func (c *Connector) owners(ctx context.Context) ([]string, error) {
	users, err := listAll(ctx, c, "list org owners", func(ctx context.Context, lo gh.ListOptions) ([]*gh.User, *gh.Response, error) {
		return c.rest.Organizations.ListMembers(ctx, c.org, &gh.ListMembersOptions{Role: "admin", ListOptions: lo})
	})
	if err != nil {
		return nil, orgError(err)
	}
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.GetLogin()
	}
	return out, nil
}

// lastOwner says why login must stay, when it is the org's only owner:
// GitHub keeps every org with at least one owner and refuses to remove
// the last.
func (c *Connector) lastOwner(ctx context.Context, login string) (string, error) {
	owners, err := c.owners(ctx)
	if err != nil {
		return "", err
	}
	if len(owners) == 1 && strings.EqualFold(owners[0], login) {
		return fmt.Sprintf("the last owner of %s: GitHub keeps every org with at least one owner; make another owner first", c.org), nil
	}
	return "", nil
}
