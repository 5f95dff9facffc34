package fakegithub

import (
	"net/http"
	"strconv"
	"strings"
)

// listCredentials lists SAML-SSO credential authorizations, filtered by
// the login query parameter when given. GitHub Apps may not call it.
func (s *Server) listCredentials(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{admin: true, userOnly: true})
	if o == nil {
		return
	}
	if !o.hasSAML {
		writeNotFound(w)
		return
	}
	login := r.URL.Query().Get("login")
	out := []map[string]any{}
	for _, c := range o.credentials {
		if login != "" && !strings.EqualFold(c.Login, login) {
			continue
		}
		item := map[string]any{
			"login": c.Login, "credential_id": c.ID, "credential_type": c.Type,
			"credential_authorized_at": ts(c.AuthorizedAt), "credential_accessed_at": ts(c.AccessedAt),
			"authorized_credential_id": c.ID + 1000000,
		}
		if c.Type == "SSH key" {
			item["fingerprint"] = c.Fingerprint
		} else {
			item["token_last_eight"] = c.TokenLastEight
			item["scopes"] = c.Scopes
		}
		out = append(out, item)
	}
	writePage(w, r, out)
}

func (s *Server) removeCredential(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{admin: true, write: true, userOnly: true})
	if o == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("credential_id"), 10, 64)
	for i, c := range o.credentials {
		if err == nil && c.ID == id {
			o.credentials = append(o.credentials[:i], o.credentials[i+1:]...)
			writeNoContent(w)
			return
		}
	}
	writeNotFound(w)
}
