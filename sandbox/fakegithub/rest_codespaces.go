package fakegithub

import (
	"net/http"
	"strings"
)

// listOrgCodespaces answers GET /orgs/{org}/codespaces: the codespaces
// billed to the org, paged, wrapped in {"total_count", "codespaces"}.
// Owners only (a token with admin:org), or an App with
// organization_codespaces.
func (s *Server) listOrgCodespaces(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{admin: true, appPerm: "organization_codespaces"})
	if o == nil {
		return
	}
	items := make([]map[string]any, 0, len(o.codespaces))
	for i, cs := range o.codespaces {
		item := map[string]any{
			"id": int64(i + 1), "name": cs.Name, "display_name": cs.Name,
			"environment_id": "env-" + cs.Name, "state": cs.State,
			"owner": simpleUser(r, s.users[strings.ToLower(cs.Owner)]), "billable_owner": simpleOrg(r, o),
			"created_at": ts(cs.CreatedAt), "updated_at": ts(cs.CreatedAt), "last_used_at": ts(cs.LastUsedAt),
			"url": baseURL(r) + "/user/codespaces/" + cs.Name, "web_url": "https://" + cs.Name + ".github.dev",
			"git_status": map[string]any{"ahead": 0, "behind": 0, "has_unpushed_changes": cs.Unpushed,
				"has_uncommitted_changes": cs.Uncommitted, "ref": "main"},
		}
		if rp := o.repo(cs.Repo); rp != nil {
			item["repository"] = repoJSON(r, o, rp)
		}
		items = append(items, item)
	}
	writeWrappedPage(w, r, "codespaces", items)
}

// deleteOrgCodespace answers DELETE
// /orgs/{org}/members/{username}/codespaces/{codespace_name} with 202
// Accepted: GitHub deletes the codespace after answering, and it is gone
// from the list at once. A codespace that is not the user's is 404.
func (s *Server) deleteOrgCodespace(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{admin: true, write: true, appPerm: "organization_codespaces"})
	if o == nil {
		return
	}
	login, name := r.PathValue("username"), r.PathValue("codespace_name")
	for i, cs := range o.codespaces {
		if cs.Name == name && strings.EqualFold(cs.Owner, login) {
			o.codespaces = append(o.codespaces[:i], o.codespaces[i+1:]...)
			writeJSON(w, http.StatusAccepted, map[string]any{})
			return
		}
	}
	writeNotFound(w)
}
