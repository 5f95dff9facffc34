package fakegithub

import (
	"net/http"
	"strconv"
	"strings"
)

func (s *Server) getApp(w http.ResponseWriter, r *http.Request) {
	a := reqState(r).principal.app
	writeJSON(w, http.StatusOK, map[string]any{
		"id": a.id, "slug": a.slug, "node_id": nodeID("A", a.id), "name": a.slug,
		"external_url": "https://example.invalid", "html_url": "https://github.com/apps/" + a.slug,
		"permissions": map[string]string{}, "events": []string{},
	})
}

// installation returns the {installation_id} of the calling App, writing
// 404 when the App has no such installation.
func (s *Server) installation(w http.ResponseWriter, r *http.Request) *installation {
	a := reqState(r).principal.app
	id, _ := strconv.ParseInt(r.PathValue("installation_id"), 10, 64)
	s.auth.mu.Lock()
	inst := s.auth.installs[id]
	s.auth.mu.Unlock()
	if inst == nil || inst.app != a {
		writeNotFound(w)
		return nil
	}
	return inst
}

func (s *Server) getInstallation(w http.ResponseWriter, r *http.Request) {
	inst := s.installation(w, r)
	if inst == nil {
		return
	}
	s.mu.Lock()
	var account map[string]any
	if o := s.orgs[strings.ToLower(inst.org)]; o != nil {
		account = simpleOrg(r, o)
		account["type"] = "Organization"
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"id": inst.id, "app_id": inst.app.id, "app_slug": inst.app.slug,
		"account": account, "target_type": "Organization", "repository_selection": "all",
		"permissions": inst.perms, "events": []string{},
	})
}

func (s *Server) createInstallationToken(w http.ResponseWriter, r *http.Request) {
	inst := s.installation(w, r)
	if inst == nil {
		return
	}
	token, exp := s.mintInstallationToken(inst)
	writeJSON(w, http.StatusCreated, map[string]any{
		"token": token, "expires_at": ts(exp), "permissions": inst.perms,
		"repository_selection": "all",
	})
}
