package fakeslack

import "time"

// adminUsersList is admin.users.list (Enterprise Grid, admin.users:read):
// the workspace's users with their roles, date_created and last_active_ts,
// active ones only unless is_active=false, paged by cursor.
func (s *Server) adminUsersList(r *request) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.adminMethodLocked(r); e != nil {
		return nil, e
	}
	active := !r.has("is_active") || r.bool("is_active")
	var ids []string
	for _, id := range s.userOrder {
		if s.users[id].Deleted != active {
			ids = append(ids, id)
		}
	}
	from, to, next := page(len(ids), r, 100)
	users := make([]map[string]any, 0, to-from)
	for _, id := range ids[from:to] {
		users = append(users, s.adminUserJSON(s.users[id]))
	}
	return map[string]any{"users": users, "response_metadata": map[string]any{"next_cursor": next}}, nil
}

func (s *Server) adminUserJSON(u *User) map[string]any {
	return map[string]any{
		"id": u.ID, "email": u.Email, "username": u.Name, "full_name": u.RealName,
		"is_admin": u.IsAdmin, "is_owner": u.IsOwner, "is_primary_owner": u.IsPrimaryOwner,
		"is_restricted": false, "is_ultra_restricted": false, "is_bot": u.IsBot, "is_active": !u.Deleted,
		"date_created":   unixOrZero(u.Created),
		"last_active_ts": unixOrZero(u.LastActive),
		"workspaces":     []string{s.opts.TeamID}, "roles": []string{}, "has_2fa": false, "has_sso": false,
	}
}

// adminUsersSessionReset is admin.users.session.reset (Enterprise Grid,
// admin.users:write): it ends every session of the user. Bots cannot be
// reset, and only the primary owner may reset the primary owner.
func (s *Server) adminUsersSessionReset(r *request) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.adminMethodLocked(r); e != nil {
		return nil, e
	}
	id := r.str("user_id")
	if id == "" {
		return nil, fail("invalid_arguments")
	}
	u, ok := s.users[id]
	switch {
	case !ok:
		return nil, fail("user_not_found")
	case u.IsBot:
		return nil, fail("cannot_reset_bot")
	case u.IsPrimaryOwner && s.callerRankLocked(r) < 3:
		return nil, fail("cannot_reset_primary_owner")
	}
	if s.admin.sessionResets == nil {
		s.admin.sessionResets = map[string]int{}
	}
	s.admin.sessionResets[id]++
	s.notifyLocked()
	return map[string]any{}, nil
}

// adminMethodLocked is what every admin.* method checks first: the plan
// (feature_not_enabled off Grid) and the caller's role (not_an_admin).
// Both codes are documented for admin.users.session.reset(Bulk); the fake
// assumes admin.users.list answers alike, as its reference lists no codes.
func (s *Server) adminMethodLocked(r *request) *apiError {
	if !s.opts.Admin.Enterprise {
		return fail("feature_not_enabled")
	}
	if s.callerRankLocked(r) < 1 {
		return fail("not_an_admin")
	}
	return nil
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
