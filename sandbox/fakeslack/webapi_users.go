package fakeslack

import (
	"strings"
)

// userJSON renders a user the way users.info returns it. The email is
// there only with users:read.email, as on Slack.
func (s *Server) userJSON(u *User) map[string]any {
	profile := map[string]any{
		"real_name": u.RealName, "real_name_normalized": u.RealName,
		"display_name": u.Name, "display_name_normalized": u.Name,
	}
	if s.hasScope("users:read.email") && u.Email != "" {
		profile["email"] = u.Email
	}
	if u.IsBot {
		profile["bot_id"] = s.opts.BotID
		profile["api_app_id"] = s.opts.AppID
	}
	return map[string]any{
		"id": u.ID, "team_id": s.opts.TeamID, "name": u.Name, "real_name": u.RealName,
		"deleted": u.Deleted, "is_bot": u.IsBot, "is_admin": u.IsAdmin, "tz": u.TZ,
		"is_owner": u.IsOwner, "is_primary_owner": u.IsPrimaryOwner,
		"profile": profile,
	}
}

func (s *Server) usersInfo(r *request) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.str("user")
	if id == "" {
		return nil, fail("user_not_found")
	}
	u, ok := s.users[id]
	if !ok {
		return nil, fail("user_not_found")
	}
	return map[string]any{"user": s.userJSON(u)}, nil
}

// usersLookupByEmail finds active users only: Slack answers
// users_not_found for a deactivated one.
func (s *Server) usersLookupByEmail(r *request) (map[string]any, *apiError) {
	email := strings.TrimSpace(r.str("email"))
	if email == "" {
		return nil, fail("invalid_email")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.userOrder {
		u := s.users[id]
		if !u.Deleted && strings.EqualFold(u.Email, email) {
			return map[string]any{"user": s.userJSON(u)}, nil
		}
	}
	return nil, fail("users_not_found")
}

func (s *Server) usersList(r *request) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, to, next := page(len(s.userOrder), r, 200)
	members := make([]map[string]any, 0, to-from)
	for _, id := range s.userOrder[from:to] {
		members = append(members, s.userJSON(s.users[id]))
	}
	return map[string]any{"members": members, "response_metadata": map[string]any{"next_cursor": next}}, nil
}
