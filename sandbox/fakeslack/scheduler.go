package fakeslack

import "time"

// schedule runs until Close: it times out unacked envelopes and redelivers
// unacked events, as Slack does.
func (s *Server) schedule() {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		retries, next := s.sweep(time.Now())
		for _, e := range retries {
			_ = s.deliver(e)
		}
		wait := time.Hour
		if !next.IsZero() {
			wait = max(time.Until(next), time.Millisecond)
		}
		timer.Reset(wait)
		select {
		case <-s.closing:
			return
		case <-s.wake:
		case <-timer.C:
		}
	}
}

// sweep resolves what is due at now and returns the event retries to send
// and when it next has something to do.
func (s *Server) sweep(now time.Time) (retries []*envelope, next time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	soon := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	keep := s.pending[:0]
	defer func() {
		for i := len(keep); i < len(s.pending); i++ {
			s.pending[i] = nil
		}
		s.pending = keep
	}()
	for _, e := range s.pending {
		if !e.resolved {
			keep = append(keep, e)
		}
	}
	for _, e := range keep {
		if e.resolved {
			continue
		}
		if e.Type == "events_api" {
			if s.eventAckedLocked(e) {
				e.resolved = true
				continue
			}
			if e.RetryAttempt >= len(s.opts.EventRetryDelays) {
				if due := e.sentMono.Add(s.opts.AckTimeout); now.Before(due) {
					soon(due)
				} else {
					s.timeOutLocked(e)
				}
				continue
			}
			due := e.sentMono.Add(s.opts.EventRetryDelays[e.RetryAttempt])
			if now.Before(due) {
				soon(due)
				continue
			}
			e.resolved = true
			if e.Sent {
				s.timeOutLocked(e)
			}
			retries = append(retries, s.retryLocked(e))
			continue
		}
		due := e.sentMono.Add(s.opts.AckTimeout)
		if now.Before(due) {
			soon(due)
			continue
		}
		s.timeOutLocked(e)
		if e.Type == "slash_commands" {
			s.addEphemeralLocked(Ephemeral{User: e.User, Channel: e.channel, Source: "slack",
				Text: `/offboard failed with the error "operation_timeout"`})
		}
		s.notifyLocked()
	}
	return retries, next
}

// retryLocked makes the next delivery of an event: a new envelope with the
// same event and the next retry_attempt.
func (s *Server) retryLocked(e *envelope) *envelope {
	r := &envelope{Envelope: Envelope{
		ID: s.envelopeIDLocked(), Type: e.Type, Kind: e.Kind, User: e.User, EventID: e.EventID,
		RetryAttempt: e.RetryAttempt + 1, Payload: e.Payload,
	}, channel: e.channel}
	s.envelopes[r.ID] = r
	s.envOrder = append(s.envOrder, r.ID)
	return r
}

// timeOutLocked records that Slack stopped waiting for an envelope's ack.
func (s *Server) timeOutLocked(e *envelope) {
	e.resolved, e.TimedOut = true, true
	s.counts.TimedOut++
}
