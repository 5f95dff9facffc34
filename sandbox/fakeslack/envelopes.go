package fakeslack

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrNotConnected means no socket was open to carry a user's action;
// Slack shows the user "dispatch_failed".
var ErrNotConnected = errors.New("fakeslack: no socket mode connection")

// Envelope is one Socket Mode delivery as the fake recorded it.
type Envelope struct {
	ID string
	// Type is slash_commands, interactive or events_api.
	Type string
	// Kind is the payload's own type: block_actions, view_submission,
	// app_home_opened …; the command for a slash command.
	Kind         string
	User         string
	EventID      string
	RetryAttempt int
	Payload      json.RawMessage
	Sent         bool
	SentAt       time.Time
	Socket       int
	Acked        bool
	// TimedOut says no ack came within AckTimeout.
	TimedOut bool
}

// envelope is an Envelope with what the fake needs to act on its ack.
type envelope struct {
	Envelope
	triggerID string
	viewID    string // the submitted view, for view_submission
	channel   string
	sentMono  time.Time
	resolved  bool // acked, timed out or given up; the scheduler is done with it
	inPending bool
	// onSocket, when set, is the only socket this delivery may go on.
	onSocket    int
	retryReason string
}

// trackLocked hands an envelope to the scheduler; s.mu held.
func (s *Server) trackLocked(e *envelope) {
	if !e.inPending {
		e.inPending = true
		s.pending = append(s.pending, e)
	}
}

func (e *envelope) frame() []byte {
	f := map[string]any{
		"envelope_id": e.ID, "type": e.Type, "payload": e.Payload,
		"accepts_response_payload": e.Type != "events_api",
	}
	if e.Type == "events_api" || e.RetryAttempt > 0 {
		f["retry_attempt"] = e.RetryAttempt
		f["retry_reason"] = e.retryReason
		if e.RetryAttempt > 0 && e.retryReason == "" {
			f["retry_reason"] = "timeout"
		}
	}
	b, _ := json.Marshal(f)
	return b
}

// newEnvelopeLocked records an envelope to send; s.mu held.
func (s *Server) newEnvelopeLocked(typ, kind, user string, payload map[string]any) *envelope {
	e := &envelope{Envelope: Envelope{ID: s.envelopeIDLocked(), Type: typ, Kind: kind, User: user}}
	e.Payload, _ = json.Marshal(payload)
	s.envelopes[e.ID] = e
	s.envOrder = append(s.envOrder, e.ID)
	return e
}

// envelopeIDLocked makes a UUID-shaped envelope id, as Slack's are.
func (s *Server) envelopeIDLocked() string {
	s.seq++
	return fmt.Sprintf("%08x-fa4e-4000-8000-%012x", uint32(time.Now().Unix()), s.seq)
}

// deliver sends an envelope on one open socket, round-robin, or queues it
// while delivery is paused. A socket that fails the write is dropped and the
// next one tried. Events without a socket wait for a retry.
func (s *Server) deliver(e *envelope) error {
	for {
		s.mu.Lock()
		if s.paused {
			s.queue = append(s.queue, e)
			s.mu.Unlock()
			return nil
		}
		if len(s.sockets) == 0 {
			err := s.undeliverableLocked(e)
			s.mu.Unlock()
			return err
		}
		so := s.pickSocketLocked(e)
		if so == nil {
			s.mu.Unlock()
			return fmt.Errorf("fakeslack: socket %d is not open", e.onSocket)
		}
		e.Sent, e.SentAt, e.sentMono, e.Socket = true, s.now(), time.Now(), so.id
		s.trackLocked(e)
		if e.triggerID != "" {
			s.startTriggerLocked(e.triggerID)
		}
		frame := e.frame()
		s.notifyLocked()
		s.mu.Unlock()
		s.nudge()
		if err := so.write(frame); err == nil {
			return nil
		}
		s.removeSocket(so)
	}
}

// pickSocketLocked chooses the socket for a delivery: the one asked for, or
// the next in turn (Slack hands each envelope to one open connection).
func (s *Server) pickSocketLocked(e *envelope) *socket {
	want := e.onSocket
	if want == 0 {
		want = s.steer
	}
	if want != 0 {
		for _, so := range s.sockets {
			if so.id == want {
				return so
			}
		}
		return nil
	}
	so := s.sockets[s.rr%len(s.sockets)]
	s.rr++
	return so
}

// undeliverableLocked handles an envelope no socket took: an event is
// retried later, a user's action fails in front of the user.
func (s *Server) undeliverableLocked(e *envelope) error {
	e.Sent, e.sentMono = false, time.Now()
	if e.Type == "events_api" {
		s.trackLocked(e)
		return nil
	}
	e.resolved = true
	if e.Type == "slash_commands" {
		s.addEphemeralLocked(Ephemeral{User: e.User, Channel: e.channel, Source: "slack",
			Text: `/offboard failed with the error "dispatch_failed"`})
	}
	s.notifyLocked()
	return ErrNotConnected
}

// PauseDelivery holds every envelope until ResumeDelivery.
func (s *Server) PauseDelivery() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paused = true
}

// ResumeDelivery sends the held envelopes, in order.
func (s *Server) ResumeDelivery() {
	s.mu.Lock()
	s.paused = false
	q := s.queue
	s.queue = nil
	s.mu.Unlock()
	for _, e := range q {
		_ = s.deliver(e)
	}
}

// Envelopes returns every envelope so far, oldest first.
func (s *Server) Envelopes() []Envelope {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Envelope, 0, len(s.envOrder))
	for _, id := range s.envOrder {
		out = append(out, s.envelopes[id].Envelope)
	}
	return out
}

// SteerTo sends every delivery on one socket (see SocketIDs) until
// SteerTo(0): so that two apps connected to one workspace can be measured
// in turn on the same traffic.
func (s *Server) SteerTo(socket int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steer = socket
}
