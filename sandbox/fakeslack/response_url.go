package fakeslack

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// responseURL is a response_url Slack handed the app with a slash command
// or a click: five uses within thirty minutes.
type responseURL struct {
	user, channel string
	messageTS     string // the message clicked, "" for a slash command
	ephemeral     bool   // the clicked message is one of the user's ephemerals
	issued        time.Time
	uses          int
}

// newResponseURLLocked issues a response_url; s.mu held.
func (s *Server) newResponseURLLocked(user, channel, messageTS string, ephemeral bool) string {
	id := s.nextIDLocked(s.opts.TeamID + "/R")
	s.responses[id] = &responseURL{user: user, channel: channel, messageTS: messageTS, ephemeral: ephemeral, issued: s.now()}
	return s.baseURL + "/response/" + id
}

func (s *Server) serveResponseURL(w http.ResponseWriter, hr *http.Request) {
	id := strings.TrimPrefix(hr.URL.Path, "/response/")
	call := Call{Method: "response_url", At: s.now(), Params: map[string]string{"id": id}}
	body, err := io.ReadAll(io.LimitReader(hr.Body, 1<<20))
	call.Params["body"] = string(body)
	if stop := s.applyFault(hr.Context(), w, "response_url", &call); stop {
		return
	}
	status, reply := s.useResponseURL(hr.Method, id, body, err)
	call.Status = status
	if e, _ := reply["error"].(string); e != "" {
		call.Error = e
	}
	s.record(call)
	writeJSON(w, status, reply)
}

func (s *Server) useResponseURL(method, id string, body []byte, readErr error) (int, map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.responses[id]
	switch {
	case method != http.MethodPost:
		return http.StatusMethodNotAllowed, map[string]any{"ok": false, "error": "method_not_allowed"}
	case !ok:
		return http.StatusNotFound, map[string]any{"ok": false, "error": "no_service"}
	case s.now().Sub(r.issued) > s.opts.ResponseURLTTL:
		return http.StatusNotFound, map[string]any{"ok": false, "error": "expired_url"}
	case r.uses >= s.opts.ResponseURLUses:
		return http.StatusNotFound, map[string]any{"ok": false, "error": "used_url"}
	case readErr != nil:
		return http.StatusBadRequest, map[string]any{"ok": false, "error": "invalid_payload"}
	}
	r.uses++
	var m replyMsg
	if err := json.Unmarshal(body, &m); err != nil {
		return http.StatusBadRequest, map[string]any{"ok": false, "error": "invalid_payload"}
	}
	if (m.DeleteOriginal || m.ReplaceOriginal) && r.messageTS != "" {
		if e := s.changeOriginalLocked(r, m); e != nil {
			return http.StatusOK, errorBody(e)
		}
		return http.StatusOK, map[string]any{"ok": true}
	}
	if msg := s.postReplyLocked(r.user, r.channel, "response_url", body); msg != "" {
		return http.StatusOK, map[string]any{"ok": false, "error": strings.SplitN(msg, ":", 2)[0], "errors": []string{msg}}
	}
	return http.StatusOK, map[string]any{"ok": true}
}

// changeOriginalLocked replaces or deletes the message that was clicked.
func (s *Server) changeOriginalLocked(r *responseURL, m replyMsg) *apiError {
	var c content
	if !m.DeleteOriginal {
		var e *apiError
		if c, e = checkContent(m.Text, m.Blocks, nil); e != nil {
			return e
		}
	}
	defer s.notifyLocked()
	if r.ephemeral {
		for _, e := range s.ephemerals[r.user] {
			if e.TS == r.messageTS {
				if m.DeleteOriginal {
					e.Replaced = true
				} else {
					e.Text, e.Blocks = c.text, c.blocks
				}
			}
		}
		return nil
	}
	orig := s.findLocked(r.channel, r.messageTS)
	if orig == nil || orig.Deleted {
		return fail("message_not_found")
	}
	if m.DeleteOriginal {
		orig.Deleted = true
		return nil
	}
	orig.Edits = append(orig.Edits, Edit{At: s.now(), Text: orig.Text, Blocks: orig.Blocks})
	orig.Text, orig.Blocks, orig.EditedTS = c.text, c.blocks, s.nextTSLocked()
	return nil
}

func errorBody(e *apiError) map[string]any {
	out := map[string]any{"ok": false, "error": e.code}
	for k, v := range e.extra {
		out[k] = v
	}
	return out
}
