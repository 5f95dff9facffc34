package fakeslack

import (
	"encoding/json"
	"time"
)

// Ack is one acknowledgement frame the app sent.
type Ack struct {
	EnvelopeID string
	Type       string // the envelope's type
	Kind       string // the envelope's payload kind
	EventID    string
	At         time.Time
	// Latency is from the envelope's send to the ack's arrival.
	Latency time.Duration
	Payload json.RawMessage
	Size    int
	// Late says the ack came after AckTimeout: Slack has already given up.
	Late bool
	// Dropped says the frame was 20,480 bytes or more, which Slack drops
	// unread: the envelope counts as not acked.
	Dropped bool
	// Duplicate says the envelope had been acked before.
	Duplicate bool
	// Socket is the socket the ack came on (see SocketIDs).
	Socket int
	// Error says what Slack could not do with the payload (invalid blocks,
	// an unknown envelope, a malformed frame).
	Error string
}

type ackFrame struct {
	EnvelopeID string          `json:"envelope_id"`
	Payload    json.RawMessage `json:"payload"`
}

// handleFrame takes one frame from the app: an ack, perhaps with a payload.
func (s *Server) handleFrame(socket int, data []byte) {
	arrived := time.Now()
	var f ackFrame
	err := json.Unmarshal(data, &f)
	s.mu.Lock()
	hook := s.onAck
	s.mu.Unlock()
	if hook != nil && f.EnvelopeID != "" {
		hook(f.EnvelopeID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notifyLocked()
	a := Ack{EnvelopeID: f.EnvelopeID, At: s.now(), Size: len(data), Socket: socket}
	if len(f.Payload) > 0 && string(f.Payload) != "null" {
		a.Payload = f.Payload
	}
	e := s.envelopes[f.EnvelopeID]
	switch {
	case err != nil || f.EnvelopeID == "":
		a.Error = "malformed frame"
		s.acks = append(s.acks, a)
		return
	case e == nil:
		a.Error = "unknown envelope"
		s.acks = append(s.acks, a)
		return
	}
	a.Type, a.Kind, a.EventID = e.Type, e.Kind, e.EventID
	a.Latency = arrived.Sub(e.sentMono)
	switch {
	case len(data) >= maxAckBytes:
		a.Dropped = true
		s.counts.Dropped++
	case e.Acked || s.eventAckedLocked(e):
		a.Duplicate = true
	default:
		e.Acked, e.resolved = true, true
		s.ackIndex[e.ID] = len(s.acks)
		if e.EventID != "" {
			s.ackedEvents[e.EventID] = true
		}
		a.Late = a.Latency > s.opts.AckTimeout || e.TimedOut
		if a.Late {
			s.counts.Late++
		}
		if !a.Late {
			s.actOnAckLocked(e, a.Payload, &a)
		}
	}
	s.acks = append(s.acks, a)
}

// eventAckedLocked says whether some delivery of the same event was acked.
func (s *Server) eventAckedLocked(e *envelope) bool {
	return e.EventID != "" && s.ackedEvents[e.EventID]
}

// actOnAckLocked does what Slack does with an ack's payload.
func (s *Server) actOnAckLocked(e *envelope, payload json.RawMessage, a *Ack) {
	switch {
	case e.Type == "slash_commands":
		if payload != nil {
			a.Error = s.postReplyLocked(e.User, e.channel, "ack", payload)
		}
	case e.Kind == "view_submission":
		a.Error = s.viewResponseLocked(e, payload)
	}
}

// Counts are running totals of the Socket Mode traffic.
type Counts struct {
	Envelopes int // envelopes made, retries included
	Acked     int // envelopes acked (Slack took the ack)
	Late      int // acks after AckTimeout
	TimedOut  int // envelopes Slack stopped waiting for
	Dropped   int // ack frames Slack dropped for their size
	Calls     int // Web API, response_url and SCIM calls
}

// Counts returns the running totals, cheaply, for waits and status pages.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.counts
	c.Envelopes, c.Acked, c.Calls = len(s.envOrder), len(s.ackIndex), len(s.calls)
	return c
}

// AckOf returns the ack Slack took for an envelope.
func (s *Server) AckOf(envelopeID string) (Ack, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, ok := s.ackIndex[envelopeID]; ok {
		return s.acks[i], true
	}
	return Ack{}, false
}

// Acks returns every ack so far, oldest first.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ack(nil), s.acks...)
}

// OnAckFrame sets a function called as each ack frame arrives, before the
// fake acts on it, on the socket's reader: a test can check there what the
// app had done by the time it acked (stored the envelope, say).
func (s *Server) OnAckFrame(fn func(envelopeID string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onAck = fn
}
