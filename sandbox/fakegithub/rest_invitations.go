package fakegithub

import (
	"net/http"
	"strconv"
	"strings"
)

func invitationFor(o *org, login string) *Invitation {
	for i := range o.invitations {
		if o.invitations[i].Login != "" && strings.EqualFold(o.invitations[i].Login, login) {
			return &o.invitations[i]
		}
	}
	return nil
}

func (o *org) removeInvitation(id int64) bool {
	for i, inv := range o.invitations {
		if inv.ID == id {
			o.invitations = append(o.invitations[:i], o.invitations[i+1:]...)
			return true
		}
	}
	return false
}

func (s *Server) listInvitations(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{admin: true, appPerm: "members"})
	if o == nil {
		return
	}
	out := make([]map[string]any, 0, len(o.invitations))
	for _, inv := range o.invitations {
		item := map[string]any{
			"id": inv.ID, "node_id": nodeID("OI", inv.ID), "login": nil, "email": nil,
			"role": inv.Role, "created_at": ts(inv.CreatedAt), "failed_at": nil, "failed_reason": nil,
			"team_count":           0,
			"invitation_teams_url": baseURL(r) + "/organizations/" + strconv.FormatInt(o.id, 10) + "/invitations/" + strconv.FormatInt(inv.ID, 10) + "/teams",
			"invitation_source":    "member",
		}
		if inv.Login != "" {
			item["login"] = inv.Login
		}
		if inv.Email != "" {
			item["email"] = inv.Email
		}
		if u := s.users[strings.ToLower(inv.Inviter)]; u != nil {
			item["inviter"] = simpleUser(r, u)
		}
		out = append(out, item)
	}
	writePage(w, r, out)
}

func (s *Server) cancelInvitation(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgFor(w, r, need{admin: true, write: true, appPerm: "members"})
	if o == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("invitation_id"), 10, 64)
	if err != nil || !o.removeInvitation(id) {
		writeNotFound(w)
		return
	}
	writeNoContent(w)
}
