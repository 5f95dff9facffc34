package fakegithub

import (
	"net/http"
	"strings"
)

// need says what a route requires of its caller.
type need struct {
	admin    bool   // a user must be an org owner
	write    bool   // a write: scope admin:org, App permission "write"
	appPerm  string // the App permission the route needs ("members")
	userOnly bool   // not for GitHub Apps
	appOnly  bool   // only for GitHub Apps
}

const (
	notForToken = "Resource not accessible by personal access token"
	notForApp   = "Resource not accessible by integration"
)

// orgFor resolves the {org} of the call and checks the caller against n.
// It writes the refusal and returns nil when the call may not proceed.
// s.mu must be held.
func (s *Server) orgFor(w http.ResponseWriter, r *http.Request, n need) *org {
	o := s.orgs[strings.ToLower(r.PathValue("org"))]
	if o == nil {
		writeNotFound(w)
		return nil
	}
	p := reqState(r).principal
	if p.inst != nil {
		return s.appMay(w, o, p.inst, n)
	}
	if n.appOnly {
		writeMessage(w, http.StatusForbidden, notForToken, docREST)
		return nil
	}
	scopes := []string{"read:org", "write:org", "admin:org"}
	if n.write {
		scopes = []string{"admin:org"}
	}
	if !p.hasScope(scopes...) {
		w.Header().Set("X-Accepted-OAuth-Scopes", strings.Join(scopes, ", "))
		writeMessage(w, http.StatusForbidden, notForToken, docREST)
		return nil
	}
	m := o.member(p.login)
	if m == nil {
		writeNotFound(w) // GitHub hides an org's private data from outsiders
		return nil
	}
	if n.admin && m.role != "admin" {
		writeMessage(w, http.StatusForbidden, "You must be an organization owner to perform this action.", docREST)
		return nil
	}
	return o
}

func (s *Server) appMay(w http.ResponseWriter, o *org, inst *installation, n need) *org {
	level := inst.perms[n.appPerm]
	if n.appPerm == "metadata" && level == "" {
		level = "read" // every GitHub App may read metadata
	}
	ok := !n.userOnly && strings.EqualFold(inst.org, o.login) &&
		(level == "write" || (level == "read" && !n.write))
	if !ok {
		writeMessage(w, http.StatusForbidden, notForApp, docREST)
		return nil
	}
	return o
}
