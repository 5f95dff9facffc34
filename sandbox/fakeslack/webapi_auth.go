package fakeslack

import (
	"net/url"
	"strings"
)

func (s *Server) authTest(r *request) (map[string]any, *apiError) {
	if ut, ok := s.userToken(r.token); ok {
		return s.authTestUser(ut), nil
	}
	return map[string]any{
		"url":     "https://" + s.opts.TeamDomain + ".slack.com/",
		"team":    s.opts.TeamName,
		"user":    s.opts.BotName,
		"team_id": s.opts.TeamID,
		"user_id": s.opts.BotUserID,
		"bot_id":  s.opts.BotID,
	}, nil
}

// connectionsOpen hands out a single-use WebSocket URL, as Slack does
// before every Socket Mode connection.
func (s *Server) connectionsOpen(_ *request) (map[string]any, *apiError) {
	s.mu.Lock()
	ticket := s.nextIDLocked("tk-")
	s.tickets[ticket] = s.now()
	s.mu.Unlock()
	q := url.Values{"ticket": {ticket}, "app_id": {s.opts.AppID}}
	ws := "ws://" + strings.TrimPrefix(s.baseURL, "http://") + "/link/?" + q.Encode()
	return map[string]any{"url": ws}, nil
}
