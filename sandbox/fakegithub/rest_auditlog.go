package fakegithub

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// getAuditLog serves the org audit log, newest first, with the two phrase
// qualifiers offboard uses (action:X and created:>=YYYY-MM-DD) and GitHub's
// cursor pagination (Link rel="next" with after=…).
func (s *Server) getAuditLog(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{admin: true, appPerm: "organization_administration"})
	if o == nil {
		return
	}
	q := r.URL.Query()
	action, since, ok := parseAuditPhrase(q.Get("phrase"))
	if !ok {
		writeMessage(w, http.StatusUnprocessableEntity, "Invalid phrase", docREST)
		return
	}
	var events []AuditEvent
	for i := len(o.audit) - 1; i >= 0; i-- {
		e := o.audit[i]
		if (action == "" || e.Action == action) && !e.At.Before(since) {
			events = append(events, e)
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].At.After(events[j].At) })
	perPage := min(max(atoiDefault(q.Get("per_page"), 30), 1), 100)
	start := decodeCursor(q.Get("after"))
	end := min(start+perPage, len(events))
	start = min(start, end)
	out := make([]map[string]any, 0, end-start)
	for i, e := range events[start:end] {
		ms := e.At.UnixMilli()
		out = append(out, map[string]any{
			"@timestamp": ms, "created_at": ms, "action": e.Action, "actor": e.Actor,
			"user": e.User, "org": o.login, "_document_id": fmt.Sprintf("doc-%d", start+i),
		})
	}
	if end < len(events) {
		next := *r.URL
		nq := next.Query()
		nq.Set("after", base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end))))
		next.RawQuery = nq.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<%s%s>; rel="next"`, baseURL(r), next.RequestURI()))
	}
	writeJSON(w, http.StatusOK, out)
}

func parseAuditPhrase(phrase string) (action string, since time.Time, ok bool) {
	for _, f := range strings.Fields(phrase) {
		switch {
		case strings.HasPrefix(f, "action:"):
			action = strings.TrimPrefix(f, "action:")
		case strings.HasPrefix(f, "created:>="):
			t, err := time.Parse(time.DateOnly, strings.TrimPrefix(f, "created:>="))
			if err != nil {
				return "", time.Time{}, false
			}
			since = t
		default:
			return "", time.Time{}, false
		}
	}
	return action, since, true
}

func decodeCursor(c string) int {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(string(b))
	return max(n, 0)
}
