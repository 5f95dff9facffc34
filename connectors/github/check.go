package github

import (
	"context"
	"fmt"
	"sort"
	"strings"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// appPermissions are what a GitHub App installation needs at least when
// it is the only credential: members and fine-grained tokens. Beside a
// token, which serves the rest, it needs only the fine-grained tokens.
// The other classes' permissions are reported by the grant-class check.
var appPermissions = map[string]string{
	"members":                             "write",
	"organization_personal_access_tokens": "write",
}

// minHeadroom is the share of the hourly rate limit below which the
// rate-limit check warns.
const minHeadroom = 0.10

// Check tests each credential, the org, the rights each credential holds
// in it, which grant classes the credentials together can see, and the
// rate-limit headroom; each result says what to fix.
func (c *Connector) Check(ctx context.Context) []connectors.Check {
	var out []connectors.Check
	var cov coverage
	if c.tokenREST != nil {
		login, scopes, ch := c.checkToken(ctx)
		out = append(out, ch)
		if ch.OK {
			cov.token, cov.scopes = true, scopes
			out = append(out, c.checkAdmin(ctx, login))
		}
	}
	if c.app != nil {
		ch := c.checkApp(ctx)
		out = append(out, ch)
		if ch.OK {
			ich, perms := c.checkInstallation(ctx)
			out = append(out, ich)
			cov.app, cov.perms = perms != nil, perms
		}
	}
	out = append(out, c.checkOrg(ctx), cov.check())
	return append(out, c.checkRate(ctx))
}

func (c *Connector) checkToken(ctx context.Context) (string, []string, connectors.Check) {
	ch := connectors.Check{Name: "github token"}
	var u *gh.User
	resp, err := c.call(ctx, "get authenticated user", func(ctx context.Context) (*gh.Response, error) {
		var resp *gh.Response
		var err error
		u, resp, err = c.tokenREST.Users.Get(ctx, "")
		return resp, err
	})
	if err != nil {
		ch.Detail = "token refused: " + err.Error()
		return "", nil, ch
	}
	scopes := resp.Header.Get("X-OAuth-Scopes")
	var scopeList []string
	if resp.Header.Values("X-OAuth-Scopes") != nil {
		scopeList = []string{}
		for _, sc := range strings.Split(scopes, ",") {
			if sc = strings.TrimSpace(sc); sc != "" {
				scopeList = append(scopeList, sc)
			}
		}
	}
	ch.OK = true
	switch {
	case resp.Header.Values("X-OAuth-Scopes") == nil:
		ch.Detail = fmt.Sprintf("authenticated as %s (fine-grained token: scopes not reported)", u.GetLogin())
	case !strings.Contains(scopes, "admin:org"):
		ch.OK = false
		ch.Detail = fmt.Sprintf("authenticated as %s, but the token lacks the admin:org scope (has %q)", u.GetLogin(), scopes)
	default:
		ch.Detail = fmt.Sprintf("authenticated as %s with scopes %s", u.GetLogin(), scopes)
	}
	return u.GetLogin(), scopeList, ch
}

func (c *Connector) checkApp(ctx context.Context) connectors.Check {
	ch := connectors.Check{Name: "github app"}
	var app *gh.App
	_, err := c.call(ctx, "get app", func(ctx context.Context) (*gh.Response, error) {
		var resp *gh.Response
		var err error
		app, resp, err = c.app.client.Apps.Get(ctx, "")
		return resp, err
	})
	if err != nil {
		ch.Detail = "app JWT refused (check the app ID and private key): " + err.Error()
		return ch
	}
	tctx, cancel := context.WithTimeout(ctx, c.opts.CallTimeout) // the exchange runs outside call
	defer cancel()
	if _, err := c.app.Token(tctx); err != nil {
		ch.Detail = fmt.Sprintf("app %s cannot get an installation token (check the installation ID): %v", app.GetSlug(), err)
		return ch
	}
	ch.OK, ch.Detail = true, fmt.Sprintf("authenticated as app %s, installation %d", app.GetSlug(), c.app.installationID)
	return ch
}

func (c *Connector) checkOrg(ctx context.Context) connectors.Check {
	ch := connectors.Check{Name: "github org"}
	_, err := c.call(ctx, "get org", func(ctx context.Context) (*gh.Response, error) {
		_, resp, err := c.rest.Organizations.Get(ctx, c.org)
		return resp, err
	})
	if err != nil {
		ch.Detail = fmt.Sprintf("org %s not reachable: %v", c.org, orgError(err))
		return ch
	}
	ch.OK, ch.Detail = true, "org "+c.org+" reachable"
	return ch
}

func (c *Connector) checkAdmin(ctx context.Context, login string) connectors.Check {
	ch := connectors.Check{Name: "github org owner"}
	var m *gh.Membership
	_, err := c.call(ctx, "get org membership", func(ctx context.Context) (*gh.Response, error) {
		var resp *gh.Response
		var err error
		m, resp, err = c.rest.Organizations.GetOrgMembership(ctx, login, c.org)
		return resp, err
	})
	switch {
	case err != nil:
		ch.Detail = fmt.Sprintf("%s is not a member of %s: %v", login, c.org, err)
	case m.GetState() != "active" || m.GetRole() != "admin":
		ch.Detail = fmt.Sprintf("%s is %s %s of %s; removing members needs an owner (admin)", login, m.GetState(), m.GetRole(), c.org)
	default:
		ch.OK, ch.Detail = true, login+" is an owner of "+c.org
	}
	return ch
}

func (c *Connector) checkInstallation(ctx context.Context) (connectors.Check, map[string]string) {
	ch := connectors.Check{Name: "github app permissions"}
	var inst struct {
		Account struct {
			Login string `json:"login"`
		} `json:"account"`
		Permissions map[string]string `json:"permissions"`
	}
	_, err := c.call(ctx, "get installation", func(ctx context.Context) (*gh.Response, error) {
		req, err := c.app.client.NewRequest("GET", fmt.Sprintf("app/installations/%d", c.app.installationID), nil)
		if err != nil {
			return nil, err
		}
		return c.app.client.Do(ctx, req, &inst)
	})
	if err != nil {
		ch.Detail = "cannot read the installation: " + err.Error()
		return ch, nil
	}
	if !strings.EqualFold(inst.Account.Login, c.org) {
		ch.Detail = fmt.Sprintf("installation %d is on %q, not %s", c.app.installationID, inst.Account.Login, c.org)
		return ch, nil
	}
	var missing []string
	for perm, level := range appPermissions {
		if c.tokenREST != nil && perm == "members" {
			continue // the token removes members
		}
		if inst.Permissions[perm] != level {
			missing = append(missing, perm+": "+level)
		}
	}
	if inst.Permissions == nil {
		inst.Permissions = map[string]string{}
	}
	if len(missing) > 0 {
		ch.Detail = "installation lacks permissions " + strings.Join(sorted(missing), ", ")
		return ch, inst.Permissions
	}
	ch.OK, ch.Detail = true, "installation has the write access offboard needs of it"
	return ch, inst.Permissions
}

func (c *Connector) checkRate(ctx context.Context) connectors.Check {
	ch := connectors.Check{Name: "github rate limit"}
	var rl *gh.RateLimits
	_, err := c.call(ctx, "get rate limit", func(ctx context.Context) (*gh.Response, error) {
		var resp *gh.Response
		var err error
		rl, resp, err = c.rest.RateLimit.Get(ctx)
		return resp, err
	})
	if err != nil {
		ch.Detail = "cannot read the rate limit: " + err.Error()
		return ch
	}
	core, gql := rl.GetCore(), rl.GetGraphQL()
	ch.Detail = fmt.Sprintf("REST %d/%d left, GraphQL %d/%d left", core.Remaining, core.Limit, gql.Remaining, gql.Limit)
	ch.OK = float64(core.Remaining) >= minHeadroom*float64(core.Limit) && float64(gql.Remaining) >= minHeadroom*float64(gql.Limit)
	return ch
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
