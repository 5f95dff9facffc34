package fakeslack

import (
	"math"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

func (s *Server) chatPostMessage(r *request) (map[string]any, *apiError) {
	c, e := checkContent(r.str("text"), r.raw("blocks"), r.raw("metadata"))
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channelLocked(r.str("channel"))
	if ch == nil {
		return nil, fail("channel_not_found")
	}
	if !ch.has(s.opts.BotUserID) {
		return nil, fail("not_in_channel")
	}
	thread := r.str("thread_ts")
	if thread != "" {
		if p := s.findLocked(ch.ID, thread); p == nil || p.ThreadTS != "" || p.Deleted {
			return nil, fail("thread_not_found")
		}
	}
	if e := s.channelRateLocked(ch.ID); e != nil {
		return nil, e
	}
	m := &Message{
		Channel: ch.ID, TS: s.nextTSLocked(), ThreadTS: thread, User: s.opts.BotUserID, BotID: s.opts.BotID,
		Text: c.text, Blocks: c.blocks, Metadata: c.metadata, At: s.now(),
	}
	if ut, ok := s.userToken(r.token); ok {
		// A user token posts as its user, not as the bot (metadata and all).
		m.User, m.BotID = ut.user, ""
	}
	s.messages[ch.ID] = append(s.messages[ch.ID], m)
	body := map[string]any{"channel": ch.ID, "ts": m.TS, "message": s.messageJSONLocked(m, true)}
	s.withWarningLocked(body, "chat.postMessage", c.warning)
	s.notifyLocked()
	return body, nil
}

func (s *Server) chatUpdate(r *request) (map[string]any, *apiError) {
	c, e := checkContent(r.str("text"), r.raw("blocks"), r.raw("metadata"))
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, m, e := s.ownMessageLocked(r, "cant_update_message")
	if e != nil {
		return nil, e
	}
	m.Edits = append(m.Edits, Edit{At: s.now(), Text: m.Text, Blocks: m.Blocks})
	m.Text, m.Blocks, m.EditedTS = c.text, c.blocks, s.nextTSLocked()
	if c.metadata != nil {
		m.Metadata = c.metadata
	}
	body := map[string]any{"channel": ch.ID, "ts": m.TS, "text": m.Text, "message": s.messageJSONLocked(m, true)}
	s.withWarningLocked(body, "chat.update", c.warning)
	s.notifyLocked()
	return body, nil
}

func (s *Server) chatPostEphemeral(r *request) (map[string]any, *apiError) {
	c, e := checkContent(r.str("text"), r.raw("blocks"), nil)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channelLocked(r.str("channel"))
	if ch == nil {
		return nil, fail("channel_not_found")
	}
	u, ok := s.users[r.str("user")]
	if !ok || u.Deleted {
		return nil, fail("user_not_found")
	}
	if !ch.has(u.ID) {
		return nil, fail("user_not_in_channel")
	}
	ts := s.addEphemeralLocked(Ephemeral{
		User: u.ID, Channel: ch.ID, ThreadTS: r.str("thread_ts"), Text: c.text, Blocks: c.blocks,
		Source: "chat.postEphemeral",
	})
	body := map[string]any{"message_ts": ts}
	s.withWarningLocked(body, "chat.postEphemeral", c.warning)
	return body, nil
}

func (s *Server) chatDelete(r *request) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, m, e := s.ownMessageLocked(r, "cant_delete_message")
	if e != nil {
		return nil, e
	}
	m.Deleted = true
	s.notifyLocked()
	return map[string]any{"channel": ch.ID, "ts": m.TS}, nil
}

// ownMessageLocked finds the message that chat.update or chat.delete
// names, refusing with notOwn one the bot did not post; s.mu held.
func (s *Server) ownMessageLocked(r *request, notOwn string) (*Channel, *Message, *apiError) {
	ch := s.channelLocked(r.str("channel"))
	if ch == nil {
		return nil, nil, fail("channel_not_found")
	}
	m := s.findLocked(ch.ID, r.str("ts"))
	if m == nil || m.Deleted {
		return nil, nil, fail("message_not_found")
	}
	if m.BotID != s.opts.BotID {
		return nil, nil, fail(notOwn)
	}
	return ch, m, nil
}

// addEphemeralLocked stores an ephemeral and returns its ts; s.mu held.
func (s *Server) addEphemeralLocked(e Ephemeral) string {
	e.TS, e.At = s.nextTSLocked(), s.now()
	s.ephemerals[e.User] = append(s.ephemerals[e.User], &e)
	s.notifyLocked()
	return e.TS
}

// withWarningLocked records a warning and adds it to the reply as Slack does.
func (s *Server) withWarningLocked(body map[string]any, method, code string) {
	if code == "" {
		return
	}
	s.warnLocked(method, code)
	body["warning"] = code
	body["response_metadata"] = map[string]any{"warnings": []string{code}}
}

// channelRateLocked applies Slack's per-channel posting limit, when on.
func (s *Server) channelRateLocked(channel string) *apiError {
	if s.opts.ChannelPostInterval <= 0 {
		return nil
	}
	l, ok := s.postLimiters[channel]
	if !ok {
		l = rate.NewLimiter(rate.Every(s.opts.ChannelPostInterval), s.opts.ChannelPostBurst)
		s.postLimiters[channel] = l
	}
	res := l.ReserveN(time.Now(), 1)
	if d := res.Delay(); d > 0 {
		res.Cancel()
		secs := int(math.Ceil(d.Seconds()))
		s.retryAfter.noteLocked("chat.postMessage", channel, secs)
		return &apiError{code: "ratelimited", status: http.StatusTooManyRequests, retryAfter: secs}
	}
	return nil
}
