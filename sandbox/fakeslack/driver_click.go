package fakeslack

import (
	"encoding/json"
	"fmt"
)

// Where names the surface a person clicks in.
type Where struct {
	kind    string // message, ephemeral, home, modal, latest
	channel string
	ts      string
	pred    func(Message) bool
}

// InMessage is the channel message (top level or reply) with ts.
func InMessage(channel, ts string) Where { return Where{kind: "message", channel: channel, ts: ts} }

// InLatest is the newest message in the channel (replies included) that
// pred accepts; nil accepts any.
func InLatest(channel string, pred func(Message) bool) Where {
	return Where{kind: "latest", channel: channel, pred: pred}
}

// InEphemeral is one of the clicking user's ephemerals; "" means the newest.
func InEphemeral(ts string) Where { return Where{kind: "ephemeral", ts: ts} }

// InHome is the clicking user's Home tab.
func InHome() Where { return Where{kind: "home"} }

// InModal is the clicking user's open modal (the top of the stack).
func InModal() Where { return Where{kind: "modal"} }

// Label matches buttons by their text.
func Label(text string) func(Button) bool {
	return func(b Button) bool { return b.Text == text }
}

// LabelIn matches the button with the text in one block.
func LabelIn(blockID, text string) func(Button) bool {
	return func(b Button) bool { return b.BlockID == blockID && b.Text == text }
}

// Click has user click the one button labelled label in where and returns
// the envelope id of the block_actions Slack sends.
func (s *Server) Click(user string, where Where, label string) (string, error) {
	return s.ClickButton(user, where, Label(label))
}

// ClickButton clicks the one button match accepts; none or several is an
// error, so a test always says which row it means.
func (s *Server) ClickButton(user string, where Where, match func(Button) bool) (string, error) {
	s.mu.Lock()
	e, err := s.clickLocked(user, where, match)
	s.mu.Unlock()
	if err != nil {
		return "", err
	}
	return e.ID, s.deliver(e)
}

func (s *Server) clickLocked(user string, where Where, match func(Button) bool) (*envelope, error) {
	u, ok := s.users[user]
	if !ok || u.Deleted {
		return nil, fmt.Errorf("fakeslack: no active user %s", user)
	}
	sf, err := s.surfaceLocked(u, where)
	if err != nil {
		return nil, err
	}
	var found []Button
	for _, b := range Buttons(sf.blocks) {
		if match(b) {
			found = append(found, b)
		}
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("fakeslack: %d matching buttons in %s, want 1", len(found), where.kind)
	}
	b := found[0]
	trig := s.issueTriggerLocked(user)
	action := map[string]any{
		"type": "button", "block_id": b.BlockID, "action_id": b.ActionID, "text": plain(b.Text),
		"action_ts": s.nextTSLocked(),
	}
	if b.Value != "" {
		action["value"] = b.Value
	}
	if b.Style != "" {
		action["style"] = b.Style
	}
	p := map[string]any{
		"type": "block_actions", "user": s.userRefLocked(u), "api_app_id": s.opts.AppID,
		"token": s.opts.VerificationToken, "team": s.teamRef(), "enterprise": nil,
		"is_enterprise_install": false, "trigger_id": trig, "state": map[string]any{"values": map[string]any{}},
		"actions": []any{action},
	}
	for k, v := range sf.fields {
		p[k] = v
	}
	e := s.newEnvelopeLocked("interactive", "block_actions", user, p)
	e.triggerID, e.channel = trig, sf.channel
	return e, nil
}

// clicked is what a click payload says about where it happened.
type clicked struct {
	blocks  json.RawMessage
	channel string
	fields  map[string]any
}

func (s *Server) surfaceLocked(u *User, w Where) (clicked, error) {
	switch w.kind {
	case "message", "latest":
		m := s.pickMessageLocked(w)
		if m == nil {
			return clicked{}, fmt.Errorf("fakeslack: no such message in %s", w.channel)
		}
		ch := s.channelLocked(m.Channel)
		if !ch.has(u.ID) {
			return clicked{}, fmt.Errorf("fakeslack: %s cannot see channel %s", u.ID, ch.ID)
		}
		container := map[string]any{"type": "message", "message_ts": m.TS, "channel_id": ch.ID, "is_ephemeral": false}
		if m.ThreadTS != "" {
			container["thread_ts"] = m.ThreadTS
		}
		return clicked{blocks: m.Blocks, channel: ch.ID, fields: map[string]any{
			"container": container, "channel": map[string]any{"id": ch.ID, "name": ch.Name},
			"message": s.messageJSONLocked(m, false), "response_url": s.newResponseURLLocked(u.ID, ch.ID, m.TS, false),
		}}, nil
	case "ephemeral":
		var eph *Ephemeral
		for _, x := range s.ephemerals[u.ID] {
			if !x.Replaced && (w.ts == "" || x.TS == w.ts) {
				eph = x
			}
		}
		if eph == nil {
			return clicked{}, fmt.Errorf("fakeslack: no such ephemeral for %s", u.ID)
		}
		ch := s.channelLocked(eph.Channel)
		return clicked{blocks: eph.Blocks, channel: eph.Channel, fields: map[string]any{
			"container":    map[string]any{"type": "message", "message_ts": eph.TS, "channel_id": eph.Channel, "is_ephemeral": true},
			"channel":      map[string]any{"id": eph.Channel, "name": ch.Name},
			"response_url": s.newResponseURLLocked(u.ID, eph.Channel, eph.TS, true),
		}}, nil
	case "home", "modal":
		v := s.homes[u.ID]
		if w.kind == "modal" {
			v = nil
			if st := s.modals[u.ID]; len(st) > 0 {
				v = st[len(st)-1]
			}
		}
		if v == nil {
			return clicked{}, fmt.Errorf("fakeslack: %s has no %s view", u.ID, w.kind)
		}
		return clicked{blocks: v.Blocks, fields: map[string]any{
			"container": map[string]any{"type": "view", "view_id": v.ID},
			"view":      s.viewJSONLocked(v, nil),
		}}, nil
	}
	return clicked{}, fmt.Errorf("fakeslack: unknown surface %q", w.kind)
}

func (s *Server) pickMessageLocked(w Where) *Message {
	if w.kind == "message" {
		if m := s.findLocked(w.channel, w.ts); m != nil && !m.Deleted {
			return m
		}
		return nil
	}
	list := s.messages[w.channel]
	for i := len(list) - 1; i >= 0; i-- {
		if m := list[i]; !m.Deleted && (w.pred == nil || w.pred(m.clone())) {
			return m
		}
	}
	return nil
}

func (s *Server) userRefLocked(u *User) map[string]any {
	return map[string]any{"id": u.ID, "username": u.Name, "name": u.Name, "team_id": s.opts.TeamID}
}

func (s *Server) teamRef() map[string]any {
	return map[string]any{"id": s.opts.TeamID, "domain": s.opts.TeamDomain}
}
