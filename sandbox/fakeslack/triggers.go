package fakeslack

import "time"

// trigger is a trigger_id: it opens one modal, for its user, shortly after
// the envelope that carried it was sent.
type trigger struct {
	user     string
	issuedAt time.Time
	used     bool
}

// issueTriggerLocked makes a trigger_id for a user; s.mu held. Its clock
// starts when the envelope is sent (see startTriggerLocked).
func (s *Server) issueTriggerLocked(user string) string {
	id := s.nextIDLocked("13345224609.738474920.")
	s.triggers[id] = &trigger{user: user}
	return id
}

// startTriggerLocked starts a trigger's validity at delivery; s.mu held.
func (s *Server) startTriggerLocked(id string) {
	if t, ok := s.triggers[id]; ok && t.issuedAt.IsZero() {
		t.issuedAt = s.now()
	}
}

// exchangeTriggerLocked uses a trigger_id once and returns its user.
func (s *Server) exchangeTriggerLocked(id string) (string, *apiError) {
	t, ok := s.triggers[id]
	switch {
	case id == "" || !ok || t.issuedAt.IsZero():
		return "", fail("invalid_trigger_id")
	case t.used:
		return "", fail("exchanged_trigger_id")
	case s.now().Sub(t.issuedAt) > s.opts.TriggerTTL:
		return "", fail("expired_trigger_id")
	}
	t.used = true
	return t.user, nil
}
