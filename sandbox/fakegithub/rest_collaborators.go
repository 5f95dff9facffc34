package fakegithub

import (
	"net/http"
	"strings"
)

func (s *Server) listOutsideCollaborators(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{admin: true, appPerm: "members"})
	if o == nil {
		return
	}
	logins := outsideCollaborators(o, s.users)
	out := make([]map[string]any, 0, len(logins))
	for _, l := range logins {
		out = append(out, simpleUser(r, s.users[strings.ToLower(l)]))
	}
	writePage(w, r, out)
}

// removeOutsideCollaborator takes login off every repository of the org.
// GitHub refuses a member with 422; a user with no access is 404 here.
func (s *Server) removeOutsideCollaborator(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{admin: true, write: true, appPerm: "members"})
	if o == nil {
		return
	}
	login := r.PathValue("username")
	if o.member(login) != nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
			"message": "You cannot specify an organization member to remove as an outside collaborator.",
			"errors": []map[string]string{{"resource": "OutsideCollaborator", "code": "custom",
				"message": "You cannot specify an organization member to remove as an outside collaborator."}},
			"documentation_url": docREST,
		})
		return
	}
	key := strings.ToLower(login)
	found := false
	for _, rp := range o.repos {
		if rp.collaborators[key] {
			delete(rp.collaborators, key)
			found = true
		}
	}
	if !found {
		writeNotFound(w)
		return
	}
	writeNoContent(w)
}
