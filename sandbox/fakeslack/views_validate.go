package fakeslack

import (
	"encoding/json"
	"strings"
)

// checkView validates a view payload ("/view") for its expected type and
// returns it as stored; the errors are Slack's messages.
func checkView(raw json.RawMessage, wantType string) (*View, []string) {
	var o obj
	if err := json.Unmarshal(raw, &o); err != nil || o == nil {
		return nil, []string{errAt("must be an object", "/view")}
	}
	c := &blockCheck{blockIDs: map[string]bool{}}
	c.allowed(o, "/view", "type", "title", "blocks", "close", "submit", "private_metadata", "callback_id",
		"clear_on_close", "notify_on_close", "external_id", "submit_disabled")
	v := &View{Type: wantType}
	if o["type"] != wantType {
		c.fail("/view/type", "must be %s", wantType)
	}
	label := func(key string, required bool) string {
		if _, ok := o[key]; !ok {
			if required {
				c.fail("/view", "missing required field: %s", key)
			}
			return ""
		}
		c.text(o[key], "/view/"+key, true, 24)
		t, _ := o[key].(obj)
		s, _ := t["text"].(string)
		return s
	}
	if wantType == "modal" {
		v.Title = label("title", true)
		v.Submit = label("submit", false)
		v.Close = label("close", false)
	}
	v.PrivateMetadata, _ = c.str(o, "private_metadata", "/view", false, 3000)
	v.CallbackID, _ = c.str(o, "callback_id", "/view", false, 255)
	v.ExternalID, _ = c.str(o, "external_id", "/view", false, 255)
	v.NotifyOnClose, _ = o["notify_on_close"].(bool)
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	rawBlocks, _ := json.Marshal(o["blocks"])
	if o["blocks"] == nil {
		rawBlocks = []byte("[]")
	}
	surf := surfModal
	if wantType == "home" {
		surf = surfHome
	}
	stored, errs := checkBlocks(rawBlocks, surf, "/view/blocks")
	if errs != nil {
		return nil, errs
	}
	if wantType == "modal" && v.Submit == "" && strings.Contains(string(stored), `"type":"input"`) {
		return nil, []string{errAt("must provide submit when an input block is present", "/view/submit")}
	}
	v.Blocks = stored
	return v, nil
}

// invalidView is Slack's answer to a view it refuses.
func invalidView(errs []string) *apiError {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = "[ERROR] " + e
	}
	return &apiError{code: "invalid_arguments", extra: map[string]any{
		"errors":            errs,
		"response_metadata": map[string]any{"messages": msgs},
	}}
}

func plain(text string) map[string]any {
	return map[string]any{"type": "plain_text", "text": text, "emoji": true}
}

// viewJSONLocked renders a view as views.* and interaction payloads carry it.
func (s *Server) viewJSONLocked(v *View, state map[string]any) map[string]any {
	if state == nil {
		state = map[string]any{}
	}
	out := map[string]any{
		"id": v.ID, "team_id": s.opts.TeamID, "type": v.Type, "blocks": v.Blocks,
		"private_metadata": v.PrivateMetadata, "callback_id": v.CallbackID, "external_id": v.ExternalID,
		"state": map[string]any{"values": state}, "hash": v.Hash,
		"root_view_id": v.RootViewID, "previous_view_id": nilIfEmpty(v.PreviousViewID),
		"app_id": s.opts.AppID, "bot_id": s.opts.BotID, "app_installed_team_id": s.opts.TeamID,
		"notify_on_close": v.NotifyOnClose, "clear_on_close": false,
	}
	if v.Title != "" {
		out["title"] = plain(v.Title)
	}
	if v.Submit != "" {
		out["submit"] = plain(v.Submit)
	}
	if v.Close != "" {
		out["close"] = plain(v.Close)
	}
	return out
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
