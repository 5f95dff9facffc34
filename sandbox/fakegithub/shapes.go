package fakegithub

import (
	"fmt"
	"net/http"
	"time"
)

// Shapes of GitHub's JSON, trimmed to the fields clients read plus the
// URL fields that make a response look like GitHub's.

func baseURL(r *http.Request) string { return "http://" + r.Host }

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func simpleUser(r *http.Request, u *user) map[string]any {
	api := baseURL(r) + "/users/" + u.login
	return map[string]any{
		"login": u.login, "id": u.id, "node_id": u.nodeID(),
		"avatar_url":  fmt.Sprintf("https://avatars.githubusercontent.com/u/%d?v=4", u.id),
		"gravatar_id": "", "url": api, "html_url": "https://github.com/" + u.login,
		"organizations_url": api + "/orgs", "repos_url": api + "/repos",
		"type": "User", "site_admin": false,
	}
}

func fullUser(r *http.Request, u *user) map[string]any {
	m := simpleUser(r, u)
	m["name"] = u.login
	m["email"] = u.email
	m["created_at"] = ts(u.createdAt)
	m["updated_at"] = ts(u.createdAt)
	return m
}

func simpleOrg(r *http.Request, o *org) map[string]any {
	api := baseURL(r) + "/orgs/" + o.login
	return map[string]any{
		"login": o.login, "id": o.id, "node_id": o.nodeID(), "url": api,
		"repos_url": api + "/repos", "members_url": api + "/members{/member}",
		"avatar_url":  fmt.Sprintf("https://avatars.githubusercontent.com/u/%d?v=4", o.id),
		"description": "",
	}
}

func membershipJSON(r *http.Request, o *org, u *user, state, role string) map[string]any {
	return map[string]any{
		"url":              baseURL(r) + "/orgs/" + o.login + "/memberships/" + u.login,
		"state":            state,
		"role":             role,
		"organization_url": baseURL(r) + "/orgs/" + o.login,
		"organization":     simpleOrg(r, o),
		"user":             simpleUser(r, u),
	}
}
