package fakegithub

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

const patPerm = "organization_personal_access_tokens"

// listPATs lists fine-grained PATs with access to the org, filtered by
// owner[] (up to 10 logins). Only GitHub Apps may call it.
func (s *Server) listPATs(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{appOnly: true, appPerm: patPerm})
	if o == nil {
		return
	}
	owners := r.URL.Query()["owner[]"]
	if len(owners) > 10 {
		writeMessage(w, http.StatusUnprocessableEntity, "Validation Failed", docREST)
		return
	}
	out := []map[string]any{}
	for _, p := range o.pats {
		if len(owners) > 0 && !containsFold(owners, p.Owner) {
			continue
		}
		out = append(out, s.patJSON(r, o, p))
	}
	writePage(w, r, out)
}

func (s *Server) patJSON(r *http.Request, o *org, p PAT) map[string]any {
	selection := "all"
	if p.Repositories != nil {
		selection = "subset"
	}
	return map[string]any{
		"id": p.ID, "owner": simpleUser(r, s.users[strings.ToLower(p.Owner)]),
		"repository_selection": selection,
		"repositories_url":     baseURL(r) + "/orgs/" + o.login + "/personal-access-tokens/" + strconv.FormatInt(p.ID, 10) + "/repositories",
		"permissions": map[string]any{
			"organization": map[string]string{"members": "read"},
			"repository":   map[string]string{"metadata": "read", "contents": "write"},
		},
		"access_granted_at": ts(p.GrantedAt),
		"token_id":          p.ID, "token_name": p.Name,
		"token_expired":      !p.ExpiresAt.IsZero() && !s.now().Before(p.ExpiresAt),
		"token_expires_at":   ts(p.ExpiresAt),
		"token_last_used_at": ts(p.LastUsedAt),
	}
}

// revokePATs is the bulk revoke: {"action":"revoke","pat_ids":[…]}, 202.
// An unknown ID refuses the whole request.
func (s *Server) revokePATs(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Action string  `json:"action"`
		PATIDs []int64 `json:"pat_ids"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Action != "revoke" || len(body.PATIDs) == 0 || len(body.PATIDs) > 100 {
		writeMessage(w, http.StatusUnprocessableEntity, "Validation Failed", docREST)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{appOnly: true, write: true, appPerm: patPerm})
	if o == nil {
		return
	}
	for _, id := range body.PATIDs {
		if o.patIndex(id) < 0 {
			writeNotFound(w)
			return
		}
	}
	for _, id := range body.PATIDs {
		i := o.patIndex(id)
		o.pats = append(o.pats[:i], o.pats[i+1:]...)
	}
	writeJSON(w, http.StatusAccepted, map[string]any{})
}

// revokePAT revokes one PAT's access: {"action":"revoke"}, 204.
func (s *Server) revokePAT(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Action string `json:"action"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Action != "revoke" {
		writeMessage(w, http.StatusUnprocessableEntity, "Validation Failed", docREST)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{appOnly: true, write: true, appPerm: patPerm})
	if o == nil {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("pat_id"), 10, 64)
	i := o.patIndex(id)
	if i < 0 {
		writeNotFound(w)
		return
	}
	o.pats = append(o.pats[:i], o.pats[i+1:]...)
	writeNoContent(w)
}

func (o *org) patIndex(id int64) int {
	for i, p := range o.pats {
		if p.ID == id {
			return i
		}
	}
	return -1
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
