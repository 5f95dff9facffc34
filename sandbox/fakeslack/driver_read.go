package fakeslack

import (
	"errors"
	"time"
)

// DefaultWait is a generous timeout for the Wait helpers.
const DefaultWait = 5 * time.Second

// ErrTimeout is what the Wait helpers return when the time runs out.
var ErrTimeout = errors.New("fakeslack: timed out waiting")

// Messages returns the channel's top-level messages, oldest first,
// without deleted ones.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages[channel] {
		if m.ThreadTS == "" && !m.Deleted {
			out = append(out, m.clone())
		}
	}
	return out
}

// AllMessages returns every message of the channel, replies and deleted
// ones included, in ts order.
func (s *Server) AllMessages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, 0, len(s.messages[channel]))
	for _, m := range s.messages[channel] {
		out = append(out, m.clone())
	}
	return out
}

// Thread returns the parent with ts and its replies, oldest first.
func (s *Server) Thread(channel, ts string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages[channel] {
		if (m.TS == ts || m.ThreadTS == ts) && !m.Deleted {
			out = append(out, m.clone())
		}
	}
	return out
}

// Message returns one message by channel and ts.
func (s *Server) Message(channel, ts string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.findLocked(channel, ts); m != nil {
		return m.clone(), true
	}
	return Message{}, false
}

// Ephemerals returns what the user was shown ephemerally, oldest first.
func (s *Server) Ephemerals(user string) []Ephemeral {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Ephemeral, 0, len(s.ephemerals[user]))
	for _, e := range s.ephemerals[user] {
		out = append(out, *e)
	}
	return out
}

// OpenView returns the user's open modal, the top of the stack.
func (s *Server) OpenView(user string) (View, bool) {
	st := s.ViewStack(user)
	if len(st) == 0 {
		return View{}, false
	}
	return st[len(st)-1], true
}

// ViewStack returns the user's open modals, bottom first.
func (s *Server) ViewStack(user string) []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]View, 0, len(s.modals[user]))
	for _, v := range s.modals[user] {
		out = append(out, v.clone())
	}
	return out
}

// HomeView returns the user's published Home tab.
func (s *Server) HomeView(user string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.homes[user]; ok {
		return v.clone(), true
	}
	return View{}, false
}

// WaitFor waits until cond holds, re-checking it at every change of state.
// cond may read the server but must not block.
func (s *Server) WaitFor(timeout time.Duration, cond func() bool) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		changed := s.Changed()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-t.C:
			return ErrTimeout
		case <-s.closing:
			return ErrTimeout
		}
	}
}

// WaitAck waits for the ack of an envelope and returns it.
func (s *Server) WaitAck(envelopeID string, timeout time.Duration) (Ack, error) {
	var a Ack
	err := s.WaitFor(timeout, func() bool {
		var ok bool
		a, ok = s.AckOf(envelopeID)
		return ok
	})
	return a, err
}

// WaitSockets waits until n sockets are open.
func (s *Server) WaitSockets(n int, timeout time.Duration) error {
	return s.WaitFor(timeout, func() bool { return s.Sockets() >= n })
}
