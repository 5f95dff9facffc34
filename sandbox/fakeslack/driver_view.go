package fakeslack

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Input is what a person entered in one input block of a modal. Set the
// field that fits the block's element.
type Input struct {
	Value          string   // plain_text_input
	SelectedUser   string   // users_select
	SelectedUsers  []string // multi_users_select
	SelectedDate   string   // datepicker, YYYY-MM-DD
	SelectedTime   string   // timepicker, HH:MM
	SelectedOption string   // static_select, radio_buttons: the option's value
	SelectedConv   string   // conversations_select, channels_select
}

// SubmitView has user submit their open modal with values keyed by the
// input blocks' block_id (an input block holds one element, so that names
// the field). Blocks not given keep their initial value. A required block
// left empty is refused, as Slack's client refuses it.
func (s *Server) SubmitView(user string, values map[string]Input) (string, error) {
	s.mu.Lock()
	e, err := s.submitLocked(user, values)
	s.mu.Unlock()
	if err != nil {
		return "", err
	}
	return e.ID, s.deliver(e)
}

func (s *Server) submitLocked(user string, values map[string]Input) (*envelope, error) {
	u, ok := s.users[user]
	stack := s.modals[user]
	if !ok || len(stack) == 0 {
		return nil, fmt.Errorf("fakeslack: %s has no open modal", user)
	}
	v := stack[len(stack)-1]
	state, err := viewState(v.Blocks, values)
	if err != nil {
		return nil, err
	}
	trig := s.issueTriggerLocked(user)
	e := s.newEnvelopeLocked("interactive", "view_submission", user, map[string]any{
		"type": "view_submission", "team": s.teamRef(), "user": s.userRefLocked(u), "api_app_id": s.opts.AppID,
		"token": s.opts.VerificationToken, "trigger_id": trig, "view": s.viewJSONLocked(v, state),
		"response_urls": []any{}, "is_enterprise_install": false, "enterprise": nil,
	})
	e.triggerID, e.viewID = trig, v.ID
	return e, nil
}

// viewState builds state.values for a view's input blocks from the inputs.
func viewState(blocks json.RawMessage, values map[string]Input) (map[string]any, error) {
	var list []obj
	_ = json.Unmarshal(blocks, &list)
	state := map[string]any{}
	known := map[string]bool{}
	for _, b := range list {
		if b["type"] != "input" {
			continue
		}
		id, _ := b["block_id"].(string)
		el, _ := b["element"].(obj)
		aid, _ := el["action_id"].(string)
		typ, _ := el["type"].(string)
		known[id] = true
		in, given := values[id]
		if !given {
			in = initialInput(el)
		}
		val, empty := elementValue(typ, in)
		if optional, _ := b["optional"].(bool); empty && !optional {
			return nil, fmt.Errorf("fakeslack: input %s is required", id)
		}
		state[id] = map[string]any{aid: val}
	}
	for id := range values {
		if !known[id] {
			return nil, fmt.Errorf("fakeslack: the view has no input block %s", id)
		}
	}
	return state, nil
}

func initialInput(el obj) Input {
	str := func(k string) string { s, _ := el[k].(string); return s }
	in := Input{Value: str("initial_value"), SelectedUser: str("initial_user"), SelectedDate: str("initial_date"),
		SelectedTime: str("initial_time"), SelectedConv: str("initial_conversation") + str("initial_channel")}
	if o, ok := el["initial_option"].(obj); ok {
		in.SelectedOption, _ = o["value"].(string)
	}
	if us, ok := el["initial_users"].([]any); ok {
		for _, x := range us {
			if s, ok := x.(string); ok {
				in.SelectedUsers = append(in.SelectedUsers, s)
			}
		}
	}
	return in
}

// elementValue is one element's state value as Slack sends it, and
// whether the person left it empty.
func elementValue(typ string, in Input) (map[string]any, bool) {
	out := map[string]any{"type": typ}
	switch typ {
	case "plain_text_input":
		out["value"] = nilIfEmpty(in.Value)
		return out, in.Value == ""
	case "users_select":
		out["selected_user"] = nilIfEmpty(in.SelectedUser)
		return out, in.SelectedUser == ""
	case "multi_users_select":
		out["selected_users"] = append([]string{}, in.SelectedUsers...)
		return out, len(in.SelectedUsers) == 0
	case "datepicker":
		out["selected_date"] = nilIfEmpty(in.SelectedDate)
		return out, in.SelectedDate == ""
	case "timepicker":
		out["selected_time"] = nilIfEmpty(in.SelectedTime)
		return out, in.SelectedTime == ""
	case "conversations_select", "channels_select":
		key := "selected_conversation"
		if typ == "channels_select" {
			key = "selected_channel"
		}
		out[key] = nilIfEmpty(in.SelectedConv)
		return out, in.SelectedConv == ""
	}
	if in.SelectedOption == "" {
		out["selected_option"] = nil
		return out, true
	}
	out["selected_option"] = map[string]any{"text": plain(in.SelectedOption), "value": in.SelectedOption}
	return out, false
}

// CloseView has user close their open modal with its Close button. When
// the view asked for notify_on_close, Slack sends view_closed, whose
// envelope id is returned.
func (s *Server) CloseView(user string) (string, error) {
	s.mu.Lock()
	stack := s.modals[user]
	if len(stack) == 0 {
		s.mu.Unlock()
		return "", fmt.Errorf("fakeslack: %s has no open modal", user)
	}
	v := stack[len(stack)-1]
	delete(s.modals, user)
	s.notifyLocked()
	if !v.NotifyOnClose {
		s.mu.Unlock()
		return "", nil
	}
	e := s.newEnvelopeLocked("interactive", "view_closed", user, map[string]any{
		"type": "view_closed", "team": s.teamRef(), "user": s.userRefLocked(s.users[user]),
		"api_app_id": s.opts.AppID, "token": s.opts.VerificationToken,
		"view": s.viewJSONLocked(v, nil), "is_cleared": true, "is_enterprise_install": false,
	})
	s.mu.Unlock()
	return e.ID, s.deliver(e)
}

// OpenHome has user open the app's Home tab: an app_home_opened event.
func (s *Server) OpenHome(user string) (string, error) {
	s.mu.Lock()
	if u, ok := s.users[user]; !ok || u.Deleted {
		s.mu.Unlock()
		return "", fmt.Errorf("fakeslack: no active user %s", user)
	}
	ev := map[string]any{"type": "app_home_opened", "user": user, "channel": dmChannel(user), "tab": "home",
		"event_ts": s.nextTSLocked()}
	if v, ok := s.homes[user]; ok {
		ev["view"] = s.viewJSONLocked(v, nil)
	}
	eventID := "Ev" + strconv.FormatInt(s.now().UnixMilli(), 36) + s.nextIDLocked("")
	e := s.newEnvelopeLocked("events_api", "app_home_opened", user, map[string]any{
		"token": s.opts.VerificationToken, "team_id": s.opts.TeamID, "api_app_id": s.opts.AppID,
		"event": ev, "type": "event_callback", "event_id": eventID, "event_time": s.now().Unix(),
		"authorizations": []any{map[string]any{"enterprise_id": nil, "team_id": s.opts.TeamID,
			"user_id": s.opts.BotUserID, "is_bot": true, "is_enterprise_install": false}},
		"is_ext_shared_channel": false, "event_context": "4-fake-" + eventID,
	})
	e.EventID = eventID
	s.mu.Unlock()
	return e.ID, s.deliver(e)
}
