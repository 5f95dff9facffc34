package fakeslack

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// channelLocked finds a conversation: a channel by ID, or the bot's DM with a
// user (by its D… ID or, as chat.postMessage allows, by the user's ID).
func (s *Server) channelLocked(id string) *Channel {
	if c, ok := s.channels[id]; ok {
		return c
	}
	uid := id
	if strings.HasPrefix(id, "D") {
		uid = strings.TrimPrefix(id, "D")
	}
	if u, ok := s.users[uid]; ok && !u.IsBot {
		return &Channel{ID: dmChannel(uid), Name: "directmessage", Private: true, Members: []string{uid, s.opts.BotUserID}}
	}
	return nil
}

// findLocked returns the message with ts in a channel, nil when none.
func (s *Server) findLocked(channel, ts string) *Message {
	list := s.messages[channel]
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].TS == ts {
			return list[i]
		}
	}
	return nil
}

// content is the text, blocks and metadata of an outgoing message, checked.
type content struct {
	text     string
	blocks   json.RawMessage
	metadata *Metadata
	warning  string
}

// checkContent validates a message's text, blocks and metadata as
// chat.postMessage and friends do. Blocks arrive as JSON text.
func checkContent(text string, blocks json.RawMessage, metadata json.RawMessage) (content, *apiError) {
	c := content{text: text}
	trimmed := strings.TrimSpace(string(blocks))
	hasBlocks := trimmed != "" && trimmed != "null" && trimmed != "[]"
	if !hasBlocks && strings.TrimSpace(text) == "" {
		return c, fail("no_text")
	}
	if utf8.RuneCountInString(text) > 40000 {
		return c, fail("msg_too_long")
	}
	if hasBlocks {
		stored, errs := checkBlocks(blocks, surfMessage, "/blocks")
		if errs != nil {
			return c, invalidBlocks(errs)
		}
		c.blocks = stored
		if strings.TrimSpace(text) == "" {
			c.warning = "missing_text_in_blocks"
		}
	}
	if len(metadata) > 0 {
		var md Metadata
		if err := json.Unmarshal(metadata, &md); err != nil {
			return c, fail("invalid_metadata_format")
		}
		if md.EventType != "" {
			c.metadata = &md
		} else if len(md.EventPayload) > 0 && string(md.EventPayload) != "null" {
			return c, fail("invalid_metadata_format")
		}
	}
	return c, nil
}

// invalidBlocks is Slack's answer to blocks it refuses.
func invalidBlocks(errs []string) *apiError {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = "[ERROR] " + e
	}
	return &apiError{code: "invalid_blocks", extra: map[string]any{
		"errors":            errs,
		"response_metadata": map[string]any{"messages": msgs},
	}}
}

// messageJSON renders a stored message the way the Web API returns it.
func (s *Server) messageJSONLocked(m *Message, withMeta bool) map[string]any {
	out := map[string]any{"type": "message", "text": m.Text, "ts": m.TS, "user": m.User, "team": s.opts.TeamID}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if m.BotID != "" {
		out["bot_id"] = m.BotID
		out["app_id"] = s.opts.AppID
	}
	if len(m.Blocks) > 0 {
		out["blocks"] = m.Blocks
	}
	if withMeta && m.Metadata != nil {
		out["metadata"] = m.Metadata
	}
	if m.EditedTS != "" {
		out["edited"] = map[string]any{"user": m.User, "ts": m.EditedTS}
	}
	if m.ThreadTS == "" {
		if n, latest := s.repliesLocked(m); n > 0 {
			out["thread_ts"] = m.TS
			out["reply_count"] = n
			out["latest_reply"] = latest
		}
	}
	return out
}

func (s *Server) repliesLocked(parent *Message) (int, string) {
	n, latest := 0, ""
	for _, r := range s.messages[parent.Channel] {
		if r.ThreadTS == parent.TS && !r.Deleted {
			n++
			latest = r.TS
		}
	}
	return n, latest
}
