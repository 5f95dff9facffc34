package fakeslack

import "time"

// SocketsOpenedAt returns when each open Socket Mode connection completed
// its WebSocket upgrade, oldest first. A harness measures an app's start
// to connected with it from Slack's side, not from the app's own log.
func (s *Server) SocketsOpenedAt() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]time.Time, 0, len(s.sockets))
	for _, so := range s.sockets {
		out = append(out, so.openedAt)
	}
	return out
}
