package fakeslack

import (
	"net/http"
	"strconv"
	"strings"
)

// serveSCIM is Slack's SCIM user endpoint (v1 and v2 paths): enough of it
// to read a user and deactivate one (DELETE /Users/{id}).
func (s *Server) serveSCIM(w http.ResponseWriter, hr *http.Request) {
	rest := strings.TrimPrefix(hr.URL.Path, "/scim/")
	version, rest, _ := strings.Cut(rest, "/")
	id, hasID := strings.CutPrefix(rest, "Users/")
	call := Call{Method: "scim." + hr.Method + " " + rest, At: s.now(), Params: map[string]string{"version": version}}
	if auth := hr.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		call.TokenIn = "header"
	}
	if stop := s.applyFault(hr.Context(), w, "scim", &call); stop {
		return
	}
	status, body := s.scim(hr, version, rest, id, hasID)
	call.Status = status
	if status >= 300 {
		call.Error = strconv.Itoa(status)
	}
	s.record(call)
	if body == nil {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, body)
}

func (s *Server) scim(hr *http.Request, version, rest, id string, hasID bool) (int, map[string]any) {
	if version != "v1" && version != "v2" {
		return http.StatusNotFound, scimError(http.StatusNotFound, "unknown SCIM version")
	}
	if hr.Header.Get("Authorization") != "Bearer "+s.opts.SCIMToken {
		return http.StatusUnauthorized, scimError(http.StatusUnauthorized, "invalid_authentication")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case rest == "Users" && hr.Method == http.MethodGet:
		return http.StatusOK, s.scimListLocked(hr)
	case !hasID || id == "":
		return http.StatusNotFound, scimError(http.StatusNotFound, "no such resource")
	}
	u, ok := s.users[id]
	if !ok {
		return http.StatusNotFound, scimError(http.StatusNotFound, "User "+id+" not found")
	}
	switch hr.Method {
	case http.MethodGet:
		return http.StatusOK, s.scimUserLocked(u)
	case http.MethodDelete:
		if u.IsBot {
			return http.StatusForbidden, scimError(http.StatusForbidden, "cannot deactivate a bot user")
		}
		// The primary owner must transfer primary ownership before the
		// account can be deactivated, and a SCIM token acts only on
		// accounts with the same or fewer permissions than its owner.
		if u.IsPrimaryOwner {
			return http.StatusForbidden, scimError(http.StatusForbidden, "cannot deactivate the primary owner")
		}
		if rank(u) > s.ownerRankLocked(s.opts.Admin.SCIMUserID) {
			return http.StatusForbidden, scimError(http.StatusForbidden, "permission_denied")
		}
		u.Deleted = true
		s.notifyLocked()
		return http.StatusNoContent, nil
	}
	return http.StatusMethodNotAllowed, scimError(http.StatusMethodNotAllowed, "method not allowed")
}

func (s *Server) scimListLocked(hr *http.Request) map[string]any {
	count, err := strconv.Atoi(hr.URL.Query().Get("count"))
	if err != nil || count <= 0 {
		count = 100
	}
	start, err := strconv.Atoi(hr.URL.Query().Get("startIndex"))
	if err != nil || start < 1 {
		start = 1
	}
	var res []map[string]any
	for i, id := range s.userOrder {
		if i+1 >= start && len(res) < count {
			res = append(res, s.scimUserLocked(s.users[id]))
		}
	}
	return map[string]any{
		"schemas":      []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
		"totalResults": len(s.userOrder), "itemsPerPage": len(res), "startIndex": start, "Resources": res,
	}
}

func (s *Server) scimUserLocked(u *User) map[string]any {
	out := map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
		"id":      u.ID, "userName": u.Name, "displayName": u.RealName, "active": !u.Deleted,
		"name": map[string]any{"formatted": u.RealName},
		"meta": map[string]any{"resourceType": "User", "location": s.SCIMURL() + "Users/" + u.ID},
	}
	if u.Email != "" {
		out["emails"] = []map[string]any{{"value": u.Email, "primary": true}}
	}
	return out
}

func scimError(status int, detail string) map[string]any {
	return map[string]any{
		"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:Error"},
		"detail":  detail, "status": strconv.Itoa(status),
	}
}
