package fakeslack

import (
	"encoding/json"
	"strings"
)

// replyMsg is a message sent in an ack payload or to a response_url.
type replyMsg struct {
	Text            string          `json:"text"`
	Blocks          json.RawMessage `json:"blocks"`
	ResponseType    string          `json:"response_type"`
	ReplaceOriginal bool            `json:"replace_original"`
	DeleteOriginal  bool            `json:"delete_original"`
	ThreadTS        string          `json:"thread_ts"`
}

// postReplyLocked shows a slash command's reply: ephemeral by default,
// in the channel with response_type in_channel. It returns what went wrong,
// "" when all was well.
func (s *Server) postReplyLocked(user, channel, source string, payload json.RawMessage) string {
	var m replyMsg
	if err := json.Unmarshal(payload, &m); err != nil {
		return "invalid payload"
	}
	b := strings.TrimSpace(string(m.Blocks))
	if m.Text == "" && (b == "" || b == "null" || b == "[]") {
		return ""
	}
	c, e := checkContent(m.Text, m.Blocks, nil)
	if e != nil {
		return describe(e)
	}
	if c.warning != "" {
		s.warnLocked(source, c.warning)
	}
	if m.ResponseType == "in_channel" {
		ch := s.channelLocked(channel)
		if ch == nil {
			return "channel_not_found"
		}
		s.messages[ch.ID] = append(s.messages[ch.ID], &Message{
			Channel: ch.ID, TS: s.nextTSLocked(), ThreadTS: m.ThreadTS, User: s.opts.BotUserID,
			BotID: s.opts.BotID, Text: c.text, Blocks: c.blocks, At: s.now(),
		})
		s.notifyLocked()
		return ""
	}
	s.addEphemeralLocked(Ephemeral{User: user, Channel: channel, ThreadTS: m.ThreadTS, Text: c.text, Blocks: c.blocks, Source: source})
	return ""
}

// describe turns an API error into one line: the code and Slack's messages.
func describe(e *apiError) string {
	out := e.code
	if errs, ok := e.extra["errors"].([]string); ok {
		out += ": " + strings.Join(errs, "; ")
	}
	return out
}

// viewResponseLocked applies a view_submission ack's response_action.
func (s *Server) viewResponseLocked(e *envelope, payload json.RawMessage) string {
	stack := s.modals[e.User]
	at := -1
	for i, v := range stack {
		if v.ID == e.viewID {
			at = i
		}
	}
	if at < 0 {
		return "view is not open"
	}
	v := stack[at]
	var r struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
		View           json.RawMessage   `json:"view"`
	}
	if payload != nil {
		if err := json.Unmarshal(payload, &r); err != nil {
			return "invalid payload"
		}
	}
	defer s.notifyLocked()
	switch r.ResponseAction {
	case "":
		s.modals[e.User] = stack[:at]
	case "clear":
		delete(s.modals, e.User)
	case "errors":
		inputs := inputBlockIDs(v.Blocks)
		for k := range r.Errors {
			if !inputs[k] {
				return "errors names " + k + ", which is not an input block"
			}
		}
		v.Errors = r.Errors
	case "update":
		nv, errs := checkView(r.View, "modal")
		if errs != nil {
			return describe(invalidView(errs))
		}
		s.replaceViewLocked(v, nv)
	case "push":
		nv, errs := checkView(r.View, "modal")
		if errs != nil {
			return describe(invalidView(errs))
		}
		if len(stack) >= 3 {
			return "push_limit_reached"
		}
		s.pushViewLocked(e.User, nv)
	default:
		return "unknown response_action " + r.ResponseAction
	}
	if len(s.modals[e.User]) == 0 {
		delete(s.modals, e.User)
	}
	return ""
}

// inputBlockIDs lists the block_ids of a view's input blocks.
func inputBlockIDs(blocks json.RawMessage) map[string]bool {
	var list []obj
	_ = json.Unmarshal(blocks, &list)
	out := map[string]bool{}
	for _, b := range list {
		if b["type"] == "input" {
			id, _ := b["block_id"].(string)
			out[id] = true
		}
	}
	return out
}
