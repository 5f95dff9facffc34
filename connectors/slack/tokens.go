package slack

import (
	"context"
	"net/http"
	"slices"
	"strings"

	slackapi "github.com/slack-go/slack"
)

// role is a workspace role, ordered by what it may do: SCIM acts only on
// accounts whose role is at most its token owner's.
type role int

const (
	roleMember role = iota
	roleAdmin
	roleOwner
	rolePrimaryOwner
)

func roleOf(u *slackapi.User) role {
	switch {
	case u.IsPrimaryOwner:
		return rolePrimaryOwner
	case u.IsOwner:
		return roleOwner
	case u.IsAdmin:
		return roleAdmin
	}
	return roleMember
}

func (r role) String() string {
	return [...]string{"member", "admin", "owner", "primary owner"}[r]
}

// tokenOwner is whose a user token is, from auth.test with that token and
// users.info with the bot's.
type tokenOwner struct {
	User string
	Role role
	// Grid says the workspace is on Enterprise Grid (auth.test answered
	// an enterprise_id): the admin.users.* methods exist only there.
	Grid   bool
	Scopes []string
}

func (o *tokenOwner) has(scope string) bool { return slices.Contains(o.Scopes, scope) }

// adminOwner is whose SLACK_ADMIN_TOKEN is; nil, nil without one.
func (c *Connector) adminOwner(ctx context.Context) (*tokenOwner, error) {
	return c.owner(ctx, c.admin, &c.adminWho, "check admin token")
}

// scimOwner is whose SLACK_SCIM_TOKEN is; nil, nil without one.
func (c *Connector) scimOwner(ctx context.Context) (*tokenOwner, error) {
	return c.owner(ctx, c.scimAPI, &c.scimWho, "check scim token")
}

// owner asks once per process and caches a success; a failure is asked
// again next time.
func (c *Connector) owner(ctx context.Context, api *slackapi.Client, cache **tokenOwner, op string) (*tokenOwner, error) {
	if api == nil {
		return nil, nil
	}
	c.mu.Lock()
	got := *cache
	c.mu.Unlock()
	if got != nil {
		return got, nil
	}
	var resp *slackapi.AuthTestResponse
	err := c.call(ctx, "auth.test", c.lim.tier4, func(ctx context.Context) error {
		var err error
		resp, err = api.AuthTestContext(ctx)
		return err
	})
	if err != nil {
		return nil, classify(op, err)
	}
	u, err := c.userInfo(ctx, resp.UserID)
	if err != nil {
		return nil, err
	}
	got = &tokenOwner{User: resp.UserID, Role: roleOf(u), Grid: resp.EnterpriseID != "", Scopes: scopesOf(resp.Header)}
	c.mu.Lock()
	*cache = got
	c.mu.Unlock()
	return got, nil
}

func scopesOf(h http.Header) []string {
	var out []string
	for _, s := range strings.Split(h.Get("X-OAuth-Scopes"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
