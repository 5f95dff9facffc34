package fakeslack

import (
	"fmt"
	"slices"
	"time"
)

// AdminOptions describe the workspace's admin user token and plan: what
// the Slack connector's session reset and dormancy scan need. The zero
// value is a paid workspace that is not on Enterprise Grid.
type AdminOptions struct {
	// Token is an admin user token (xoxp-); default xoxp-fake-admin.
	Token string
	// UserID owns Token; default U0ADMIN. A token whose owner is not in
	// the directory counts as an owner's.
	UserID string
	// Scopes are Token's user scopes, reported in X-OAuth-Scopes and
	// checked per method. Nil means admin, admin.users:read, admin.users:write.
	Scopes []string
	// SCIMUserID owns the SCIM token (default U0ADMIN). SCIM acts only on
	// accounts with the same or fewer permissions than this user.
	SCIMUserID string
	// Enterprise puts the workspace on Enterprise Grid: the admin.users.*
	// methods work, and auth.test reports EnterpriseID (default E0FAKE).
	Enterprise   bool
	EnterpriseID string
	// FreePlan makes team.accessLogs answer paid_only.
	FreePlan bool
}

func (o AdminOptions) withDefaults() AdminOptions {
	if o.Token == "" {
		o.Token = "xoxp-fake-admin"
	}
	if o.UserID == "" {
		o.UserID = "U0ADMIN"
	}
	if o.SCIMUserID == "" {
		o.SCIMUserID = "U0ADMIN"
	}
	if o.EnterpriseID == "" {
		o.EnterpriseID = "E0FAKE"
	}
	if o.Scopes == nil {
		o.Scopes = []string{"admin", "admin.users:read", "admin.users:write"}
	}
	return o
}

// Login is one entry of team.accessLogs: a user's access from one IP and
// user agent, first and last seen, and how often.
type Login struct {
	User      string
	IP        string
	UserAgent string
	First     time.Time
	Last      time.Time
	Count     int
}

// adminState is the part of the workspace only admins see or set.
type adminState struct {
	// groupsAdminOnly is the workspace setting "who can modify and disable
	// user groups: admins only"; a bot token then gets permission_denied.
	groupsAdminOnly bool
	logins          []Login
	sessionResets   map[string]int
}

// userTok is a user token the fake knows: its owner and scopes.
type userTok struct {
	user   string
	scopes []string
}

// userToken recognises the admin token and the SCIM token (an admin user
// token too, so it may call auth.test).
func (s *Server) userToken(token string) (userTok, bool) {
	switch {
	case token == "":
		return userTok{}, false
	case token == s.opts.Admin.Token:
		return userTok{user: s.opts.Admin.UserID, scopes: s.opts.Admin.Scopes}, true
	case token == s.opts.SCIMToken:
		return userTok{user: s.opts.Admin.SCIMUserID, scopes: []string{"admin"}}, true
	}
	return userTok{}, false
}

// authoriseUser checks a user token against the scope the method needs.
func (s *Server) authoriseUser(ut userTok, spec methodSpec) *apiError {
	if spec.app {
		return fail("not_allowed_token_type")
	}
	need := spec.userScope
	if need == "" {
		need = spec.scope
	}
	if need != "" && !slices.Contains(ut.scopes, need) {
		return &apiError{code: "missing_scope", extra: map[string]any{"needed": need, "provided": joinScopes(ut.scopes)}}
	}
	return nil
}

func joinScopes(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ","
		}
		out += v
	}
	return out
}

func (s *Server) authTestUser(ut userTok) map[string]any {
	s.mu.Lock()
	name := ut.user
	if u, ok := s.users[ut.user]; ok {
		name = u.handle()
	}
	s.mu.Unlock()
	out := map[string]any{
		"url": "https://" + s.opts.TeamDomain + ".slack.com/", "team": s.opts.TeamName, "user": name,
		"team_id": s.opts.TeamID, "user_id": ut.user, "is_enterprise_install": false,
	}
	if s.opts.Admin.Enterprise {
		out["enterprise_id"] = s.opts.Admin.EnterpriseID
	}
	return out
}

// rank orders roles: member 0, admin 1, owner 2, primary owner 3.
func rank(u *User) int {
	switch {
	case u.IsPrimaryOwner:
		return 3
	case u.IsOwner:
		return 2
	case u.IsAdmin:
		return 1
	}
	return 0
}

// ownerRankLocked is the rank of a token's owner; one missing from the
// directory counts as an owner. s.mu held.
func (s *Server) ownerRankLocked(userID string) int {
	if u, ok := s.users[userID]; ok {
		return rank(u)
	}
	return 2
}

// callerRankLocked is the rank of the user behind r's token; a bot token
// ranks as a member. s.mu held.
func (s *Server) callerRankLocked(r *request) int {
	if ut, ok := s.userToken(r.token); ok {
		return s.ownerRankLocked(ut.user)
	}
	return 0
}

// SetUserGroupsAdminOnly sets who may modify and disable user groups
// (Workspace settings › Permissions › User Groups): admins only, or everyone.
func (s *Server) SetUserGroupsAdminOnly(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.admin.groupsAdminOnly = on
	s.notifyLocked()
}

// AddLogin records an access-log entry.
func (s *Server) AddLogin(l Login) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[l.User]; !ok {
		return fmt.Errorf("no user %s", l.User)
	}
	if l.Count == 0 {
		l.Count = 1
	}
	if l.First.IsZero() {
		l.First = l.Last
	}
	s.admin.logins = append(s.admin.logins, l)
	return nil
}

// SessionResets is how often admin.users.session.reset ended the user's sessions.
func (s *Server) SessionResets(userID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.admin.sessionResets[userID]
}

// AdminToken is the admin user token the Web API accepts.
func (s *Server) AdminToken() string { return s.opts.Admin.Token }
