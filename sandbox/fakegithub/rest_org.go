package fakegithub

import (
	"net/http"
	"strings"
)

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	p := reqState(r).principal
	if p.inst != nil {
		writeMessage(w, http.StatusForbidden, notForApp, docREST)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[strings.ToLower(p.login)]
	writeJSON(w, http.StatusOK, fullUser(r, u))
}

func (s *Server) getOrg(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgs[strings.ToLower(r.PathValue("org"))]
	if o == nil {
		writeNotFound(w)
		return
	}
	body := simpleOrg(r, o)
	body["name"] = o.login
	body["type"] = "Organization"
	body["html_url"] = "https://github.com/" + o.login
	body["created_at"] = ts(o.createdAt)
	body["public_repos"] = len(o.repos)
	writeJSON(w, http.StatusOK, body)
}
