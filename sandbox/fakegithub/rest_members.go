package fakegithub

import (
	"net/http"
	"strings"
)

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{appPerm: "members"})
	if o == nil {
		return
	}
	role := r.URL.Query().Get("role")
	if role != "" && role != "all" && role != "admin" && role != "member" {
		writeMessage(w, http.StatusUnprocessableEntity, "Validation Failed", docREST)
		return
	}
	out := make([]map[string]any, 0, len(o.members))
	for _, m := range o.members {
		if role == "" || role == "all" || role == m.role {
			out = append(out, simpleUser(r, m.user))
		}
	}
	writePage(w, r, out)
}

func (s *Server) checkMember(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{appPerm: "members"})
	if o == nil {
		return
	}
	if o.member(r.PathValue("username")) == nil {
		writeNotFound(w)
		return
	}
	writeNoContent(w)
}

// removeMember removes a member and their team memberships. A user who is
// not a member is answered 404.
func (s *Server) removeMember(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, login := s.removalFor(w, r)
	if o == nil {
		return
	}
	if !o.removeMember(login) {
		writeNotFound(w)
		return
	}
	s.auditLocked(o, r, "org.remove_member", login)
	writeNoContent(w)
}

// removalFor resolves the org and the {username} of a removal, which only
// an owner may make and which never takes the org's last owner. It writes
// the refusal and returns nil when the removal may not proceed.
// s.mu must be held.
func (s *Server) removalFor(w http.ResponseWriter, r *http.Request) (*org, string) {
	o := s.orgFor(w, r, need{admin: true, write: true, appPerm: "members"})
	if o == nil {
		return nil, ""
	}
	login := r.PathValue("username")
	if o.lastOwner(login) {
		writeLastOwner(w)
		return nil, ""
	}
	return o, login
}

// lastOwner says whether login is the org's only owner. GitHub keeps
// every org with at least one owner ("Organizations must have at least
// one owner"), so it will not remove that one.
func (o *org) lastOwner(login string) bool {
	m := o.member(login)
	if m == nil || m.role != "admin" {
		return false
	}
	for _, other := range o.members {
		if other != m && other.role == "admin" {
			return false
		}
	}
	return true
}

// writeLastOwner refuses to remove the last owner. GitHub's REST reference
// does not document the status of this refusal; the fake answers 403, the
// status GitHub gives other removals an owner may not make.
func writeLastOwner(w http.ResponseWriter) {
	writeMessage(w, http.StatusForbidden, "Cannot remove the last owner of an organization.", docREST)
}

func (s *Server) getMembership(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{appPerm: "members"})
	if o == nil {
		return
	}
	login := r.PathValue("username")
	if m := o.member(login); m != nil {
		writeJSON(w, http.StatusOK, membershipJSON(r, o, m.user, "active", m.role))
		return
	}
	if inv := invitationFor(o, login); inv != nil {
		role := "member"
		if inv.Role == "admin" {
			role = "admin"
		}
		writeJSON(w, http.StatusOK, membershipJSON(r, o, s.users[strings.ToLower(inv.Login)], "pending", role))
		return
	}
	writeNotFound(w)
}

// removeMembership removes an active member or cancels the pending
// invitation of that login, like GitHub's DELETE memberships.
func (s *Server) removeMembership(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, login := s.removalFor(w, r)
	if o == nil {
		return
	}
	if o.removeMember(login) {
		s.auditLocked(o, r, "org.remove_member", login)
		writeNoContent(w)
		return
	}
	if inv := invitationFor(o, login); inv != nil {
		o.removeInvitation(inv.ID)
		writeNoContent(w)
		return
	}
	writeNotFound(w)
}

func (s *Server) auditLocked(o *org, r *http.Request, action, login string) {
	actor := "app"
	if p := reqState(r).principal; p.inst == nil {
		actor = p.login
	}
	o.audit = append(o.audit, AuditEvent{Action: action, Actor: actor, User: login, At: s.now()})
}
