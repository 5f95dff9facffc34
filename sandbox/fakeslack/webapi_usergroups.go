package fakeslack

import (
	"slices"
	"strings"
)

func (s *Server) groupJSON(g *UserGroup, withUsers bool) map[string]any {
	out := map[string]any{
		"id": g.ID, "team_id": s.opts.TeamID, "is_usergroup": true, "name": g.Name,
		"description": g.Description, "handle": g.Handle, "user_count": len(g.Members),
		"prefs": map[string]any{"channels": []string{}, "groups": []string{}},
	}
	if g.Disabled {
		out["date_delete"] = 1
	}
	if withUsers {
		out["users"] = slices.Clone(g.Members)
	}
	return out
}

// usergroupsList gives all memberships in one call with include_users.
func (s *Server) usergroupsList(r *request) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	withUsers, withDisabled := r.bool("include_users"), r.bool("include_disabled")
	groups := []map[string]any{}
	for _, id := range s.groupOrder {
		g := s.groups[id]
		if g.Disabled && !withDisabled {
			continue
		}
		groups = append(groups, s.groupJSON(g, withUsers))
	}
	return map[string]any{"usergroups": groups}, nil
}

func (s *Server) usergroupsUsersList(r *request) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[r.str("usergroup")]
	if !ok || (g.Disabled && !r.bool("include_disabled")) {
		return nil, fail("no_such_subteam")
	}
	return map[string]any{"users": slices.Clone(g.Members)}, nil
}

// usergroupsUsersUpdate replaces a group's members. Slack refuses an empty
// list (no_users_provided): a user group cannot be emptied through the API,
// so its last member cannot be removed (usergroups.disable is the way);
// unknown or deactivated users are invalid_users. Where only admins may
// modify user groups, a bot token gets permission_denied.
func (s *Server) usergroupsUsersUpdate(r *request) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[r.str("usergroup")]
	if !ok {
		return nil, fail("no_such_subteam")
	}
	if !s.mayManageGroupsLocked(r) {
		return nil, fail("permission_denied")
	}
	var members []string
	for _, id := range strings.Split(r.str("users"), ",") {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(members, id) {
			members = append(members, id)
		}
	}
	if len(members) == 0 {
		return nil, fail("no_users_provided")
	}
	for _, id := range members {
		if u, ok := s.users[id]; !ok || u.Deleted {
			return nil, fail("invalid_users")
		}
	}
	g.Members = members
	s.notifyLocked()
	return map[string]any{"usergroup": s.groupJSON(g, true)}, nil
}

// usergroupsDisable disables a group: it keeps its members but drops out
// of usergroups.list unless include_disabled, and date_delete becomes
// non-zero. Disabling a disabled group answers as the first time did, and
// an unknown group is no_such_subteam as for usergroups.users.update (the
// method's reference names neither case).
// Where only admins may disable user groups, a bot token gets
// permission_denied.
func (s *Server) usergroupsDisable(r *request) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.str("usergroup")
	if id == "" {
		return nil, fail("missing_argument")
	}
	g, ok := s.groups[id]
	if !ok {
		return nil, fail("no_such_subteam")
	}
	if !s.mayManageGroupsLocked(r) {
		return nil, fail("permission_denied")
	}
	g.Disabled = true
	s.notifyLocked()
	return map[string]any{"usergroup": s.groupJSON(g, false)}, nil
}

// mayManageGroupsLocked applies the workspace's user-group permission: "A
// bot token can be used only if permissions are set to everyone"; an
// admin's user token may always. s.mu held.
func (s *Server) mayManageGroupsLocked(r *request) bool {
	return !s.admin.groupsAdminOnly || s.callerRankLocked(r) >= 1
}
