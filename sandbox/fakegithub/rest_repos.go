package fakegithub

import (
	"net/http"
	"strconv"
	"strings"
)

// repoFor resolves {owner}/{repo} of one of the fake's orgs and checks the
// caller: a token needs the repo scope and admin rights on the repository
// (org owners have them on every repository); an App needs perm on the
// org's installation ("administration" for keys and invitations).
// s.mu must be held.
func (s *Server) repoFor(w http.ResponseWriter, r *http.Request, perm string, write bool) (*org, *repo) {
	o := s.orgs[strings.ToLower(r.PathValue("owner"))]
	var rp *repo
	if o != nil {
		rp = o.repo(r.PathValue("repo"))
	}
	if rp == nil {
		writeNotFound(w)
		return nil, nil
	}
	p := reqState(r).principal
	if p.inst != nil {
		if s.appMay(w, o, p.inst, need{appPerm: perm, write: write}) == nil {
			return nil, nil
		}
		return o, rp
	}
	if !p.hasScope("repo") {
		w.Header().Set("X-Accepted-OAuth-Scopes", "repo")
		writeMessage(w, http.StatusNotFound, "Not Found", docNotFound) // GitHub hides private repositories
		return nil, nil
	}
	if m := o.member(p.login); m == nil || m.role != "admin" {
		writeMessage(w, http.StatusForbidden, "Must have admin rights to Repository.", docREST)
		return nil, nil
	}
	return o, rp
}

func repoJSON(r *http.Request, o *org, rp *repo) map[string]any {
	return map[string]any{
		"id": rp.id, "node_id": nodeID("R", rp.id), "name": rp.name, "full_name": o.login + "/" + rp.name,
		"private": true, "owner": simpleOrg(r, o), "html_url": "https://github.com/" + o.login + "/" + rp.name,
		"url": baseURL(r) + "/repos/" + o.login + "/" + rp.name,
	}
}

// listOrgRepos lists the org's repositories (GET /orgs/{org}/repos).
func (s *Server) listOrgRepos(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{appPerm: "metadata"})
	if o == nil {
		return
	}
	out := make([]map[string]any, 0, len(o.repos))
	for _, rp := range o.repos {
		out = append(out, repoJSON(r, o, rp))
	}
	writePage(w, r, out)
}

// listDeployKeys answers GitHub's deploy-key shape, with added_by (the
// login that added the key) and last_used (null for a key never used).
func (s *Server) listDeployKeys(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, rp := s.repoFor(w, r, "administration", false)
	if rp == nil {
		return
	}
	out := make([]map[string]any, 0, len(rp.keys))
	for _, k := range rp.keys {
		out = append(out, map[string]any{
			"id": k.ID, "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + strconv.FormatInt(k.ID, 36),
			"url":   baseURL(r) + "/repos/" + o.login + "/" + rp.name + "/keys/" + strconv.FormatInt(k.ID, 10),
			"title": k.Title, "verified": true, "created_at": ts(k.CreatedAt), "read_only": k.ReadOnly,
			"added_by": nullable(k.AddedBy), "last_used": ts(k.LastUsed), "enabled": true,
		})
	}
	writePage(w, r, out)
}

func (s *Server) deleteDeployKey(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rp := s.repoFor(w, r, "administration", true)
	if rp == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("key_id"), 10, 64)
	for i, k := range rp.keys {
		if err == nil && k.ID == id {
			rp.keys = append(rp.keys[:i], rp.keys[i+1:]...)
			writeNoContent(w)
			return
		}
	}
	writeNotFound(w)
}

func (s *Server) listRepoInvitations(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, rp := s.repoFor(w, r, "administration", false)
	if rp == nil {
		return
	}
	out := make([]map[string]any, 0, len(rp.invitations))
	for _, inv := range rp.invitations {
		item := map[string]any{
			"id": inv.ID, "node_id": nodeID("RI", inv.ID), "repository": repoJSON(r, o, rp),
			"invitee": simpleUser(r, s.users[strings.ToLower(inv.Invitee)]), "inviter": nil,
			"permissions": inv.Permissions, "created_at": ts(inv.CreatedAt), "expired": false,
			"url":      baseURL(r) + "/user/repository_invitations/" + strconv.FormatInt(inv.ID, 10),
			"html_url": "https://github.com/" + o.login + "/" + rp.name + "/invitations",
		}
		if u := s.users[strings.ToLower(inv.Inviter)]; u != nil {
			item["inviter"] = simpleUser(r, u)
		}
		out = append(out, item)
	}
	writePage(w, r, out)
}

func (s *Server) deleteRepoInvitation(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rp := s.repoFor(w, r, "administration", true)
	if rp == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("invitation_id"), 10, 64)
	for i, inv := range rp.invitations {
		if err == nil && inv.ID == id {
			rp.invitations = append(rp.invitations[:i], rp.invitations[i+1:]...)
			writeNoContent(w)
			return
		}
	}
	writeNotFound(w)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
