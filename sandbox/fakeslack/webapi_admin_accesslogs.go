package fakeslack

import (
	"encoding/base64"
	"sort"
	"strconv"
	"time"
)

// Paging bounds of team.accessLogs: "It is not possible to request more
// than 1000 items per page or more than 100 pages" (over_pagination_limit).
const (
	accessLogMaxPerPage = 1000
	accessLogMaxPages   = 100
)

// teamAccessLogs is team.accessLogs (paid plans, user token with admin):
// the entries whose date_last is at or before `before` (default now),
// newest first. It pages the classic way (count, page, and a paging
// object) or, when limit or cursor is sent, by cursor; both stop at 100
// pages, and reaching further back takes a new `before`.
func (s *Server) teamAccessLogs(r *request) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.Admin.FreePlan {
		return nil, fail("paid_only")
	}
	before := s.now()
	if b := r.str("before"); b != "" && b != "now" {
		secs, err := strconv.ParseInt(b, 10, 64)
		if err != nil {
			return nil, fail("invalid_arguments")
		}
		before = time.Unix(secs, 0)
	}
	var logs []Login
	for _, l := range s.admin.logins {
		if !l.Last.After(before) {
			logs = append(logs, l)
		}
	}
	sort.SliceStable(logs, func(i, j int) bool { return logs[i].Last.After(logs[j].Last) })
	if r.has("limit") || r.has("cursor") {
		return s.accessLogsByCursor(r, logs)
	}
	count, page := 100, 1
	if v := r.str("count"); v != "" {
		count, _ = strconv.Atoi(v)
	}
	if v := r.str("page"); v != "" {
		page, _ = strconv.Atoi(v)
	}
	if count < 1 || page < 1 {
		return nil, fail("invalid_arguments")
	}
	if count > accessLogMaxPerPage || page > accessLogMaxPages {
		return nil, fail("over_pagination_limit")
	}
	from, to := min(len(logs), (page-1)*count), min(len(logs), page*count)
	pages := max(1, (len(logs)+count-1)/count)
	return map[string]any{
		"logins": s.loginsJSONLocked(logs[from:to]),
		"paging": map[string]any{"count": count, "total": len(logs), "page": page, "pages": pages},
	}, nil
}

func (s *Server) accessLogsByCursor(r *request, logs []Login) (map[string]any, *apiError) {
	limit := 100
	if v := r.str("limit"); v != "" {
		var err error
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > accessLogMaxPerPage {
			return nil, fail("invalid_limit")
		}
	}
	from := 0
	if c := r.str("cursor"); c != "" {
		raw, err := base64.StdEncoding.DecodeString(c)
		if err != nil {
			return nil, fail("invalid_cursor")
		}
		if from, err = strconv.Atoi(string(raw)); err != nil || from < 0 {
			return nil, fail("invalid_cursor")
		}
	}
	if from/limit+1 > accessLogMaxPages {
		return nil, fail("over_pagination_limit")
	}
	from = min(from, len(logs))
	to := min(len(logs), from+limit)
	next := ""
	if to < len(logs) {
		next = base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(to)))
	}
	return map[string]any{
		"logins":            s.loginsJSONLocked(logs[from:to]),
		"response_metadata": map[string]any{"next_cursor": next},
	}, nil
}

func (s *Server) loginsJSONLocked(logs []Login) []map[string]any {
	out := make([]map[string]any, 0, len(logs))
	for _, l := range logs {
		name := l.User
		if u, ok := s.users[l.User]; ok {
			name = u.handle()
		}
		out = append(out, map[string]any{
			"user_id": l.User, "username": name, "date_first": l.First.Unix(), "date_last": l.Last.Unix(),
			"count": l.Count, "ip": l.IP, "user_agent": l.UserAgent, "isp": "", "country": "", "region": "",
		})
	}
	return out
}
