package fakeslack

import "fmt"

// Redeliver sends an envelope again, as Slack does when it did not see an
// ack in time: a new envelope_id, the same payload, the next retry_attempt
// and retry_reason "timeout". socket picks the connection (see SocketIDs);
// 0 means the next in turn. It returns the new envelope's id.
func (s *Server) Redeliver(envelopeID string, socket int) (string, error) {
	s.mu.Lock()
	e, ok := s.envelopes[envelopeID]
	if !ok {
		s.mu.Unlock()
		return "", fmt.Errorf("fakeslack: no envelope %s", envelopeID)
	}
	r := s.retryLocked(e)
	r.triggerID, r.viewID, r.onSocket = e.triggerID, e.viewID, socket
	s.mu.Unlock()
	return r.ID, s.deliver(r)
}
