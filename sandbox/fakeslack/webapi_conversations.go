package fakeslack

import (
	"strconv"
)

// historyChannelLocked finds the channel a history read names and refuses
// it when the token may not read it; s.mu held.
func (s *Server) historyChannelLocked(r *request) (*Channel, *apiError) {
	ch := s.channelLocked(r.str("channel"))
	if ch == nil {
		return nil, fail("channel_not_found")
	}
	need := "channels:history"
	if ch.Private {
		need = "groups:history"
	}
	if !s.hasScope(need) {
		return nil, &apiError{code: "missing_scope", extra: map[string]any{"needed": need}}
	}
	return ch, nil
}

// messagePageLocked answers one cursor page of msgs, the reply that
// conversations.history and conversations.replies share; s.mu held.
func (s *Server) messagePageLocked(r *request, msgs []*Message, defLimit int) map[string]any {
	from, to, next := page(len(msgs), r, defLimit)
	meta := r.bool("include_all_metadata")
	out := make([]map[string]any, 0, to-from)
	for _, x := range msgs[from:to] {
		out = append(out, s.messageJSONLocked(x, meta))
	}
	return map[string]any{
		"messages": out, "has_more": next != "",
		"response_metadata": map[string]any{"next_cursor": next},
	}
}

// page cuts a list by Slack's cursor (an offset here) and limit.
func page(n int, r *request, defLimit int) (from, to int, next string) {
	limit, err := strconv.Atoi(r.str("limit"))
	if err != nil || limit <= 0 {
		limit = defLimit
	}
	from, _ = strconv.Atoi(r.str("cursor"))
	from = max(0, min(from, n))
	to = min(n, from+limit)
	if to < n {
		next = strconv.Itoa(to)
	}
	return from, to, next
}

func (s *Server) conversationsReplies(r *request) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, e := s.historyChannelLocked(r)
	if e != nil {
		return nil, e
	}
	m := s.findLocked(ch.ID, r.str("ts"))
	if m == nil || m.Deleted {
		return nil, fail("thread_not_found")
	}
	if m.ThreadTS != "" {
		m = s.findLocked(ch.ID, m.ThreadTS)
	}
	thread := []*Message{m}
	for _, x := range s.messages[ch.ID] {
		if x.ThreadTS == m.TS && !x.Deleted {
			thread = append(thread, x)
		}
	}
	return s.messagePageLocked(r, thread, 1000), nil
}

func (s *Server) conversationsHistory(r *request) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, e := s.historyChannelLocked(r)
	if e != nil {
		return nil, e
	}
	var top []*Message
	list := s.messages[ch.ID]
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].ThreadTS == "" && !list[i].Deleted {
			top = append(top, list[i])
		}
	}
	return s.messagePageLocked(r, top, 100), nil
}

func (s *Server) conversationsInfo(r *request) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channelLocked(r.str("channel"))
	if ch == nil {
		return nil, fail("channel_not_found")
	}
	need := "channels:read"
	if ch.Private {
		need = "groups:read"
	}
	if !s.hasScope(need) {
		return nil, &apiError{code: "missing_scope", extra: map[string]any{"needed": need}}
	}
	return map[string]any{"channel": map[string]any{
		"id": ch.ID, "name": ch.Name, "is_channel": !ch.Private, "is_group": false, "is_im": ch.Name == "directmessage",
		"is_private": ch.Private, "is_member": ch.has(s.opts.BotUserID), "num_members": len(ch.Members),
	}}, nil
}
