package fakegithub

import "net/http"

// Routes, as the fake names them in its call log and fault settings: the
// method and path pattern of GitHub's documentation.
const (
	RouteUser                = "GET /user"
	RouteOrg                 = "GET /orgs/{org}"
	RouteMembers             = "GET /orgs/{org}/members"
	RouteCheckMember         = "GET /orgs/{org}/members/{username}"
	RouteRemoveMember        = "DELETE /orgs/{org}/members/{username}"
	RouteMembership          = "GET /orgs/{org}/memberships/{username}"
	RouteRemoveMembership    = "DELETE /orgs/{org}/memberships/{username}"
	RouteOutsideCollabs      = "GET /orgs/{org}/outside_collaborators"
	RouteRemoveOutsideCollab = "DELETE /orgs/{org}/outside_collaborators/{username}"
	RouteInvitations         = "GET /orgs/{org}/invitations"
	RouteCancelInvitation    = "DELETE /orgs/{org}/invitations/{invitation_id}"
	RouteCredentials         = "GET /orgs/{org}/credential-authorizations"
	RouteRemoveCredential    = "DELETE /orgs/{org}/credential-authorizations/{credential_id}"
	RoutePATs                = "GET /orgs/{org}/personal-access-tokens"
	RouteRevokePATs          = "POST /orgs/{org}/personal-access-tokens"
	RouteRevokePAT           = "POST /orgs/{org}/personal-access-tokens/{pat_id}"
	RouteAuditLog            = "GET /orgs/{org}/audit-log"
	RouteOrgRepos            = "GET /orgs/{org}/repos"
	RouteDeployKeys          = "GET /repos/{owner}/{repo}/keys"
	RouteDeleteDeployKey     = "DELETE /repos/{owner}/{repo}/keys/{key_id}"
	RouteRepoInvitations     = "GET /repos/{owner}/{repo}/invitations"
	RouteDeleteRepoInvite    = "DELETE /repos/{owner}/{repo}/invitations/{invitation_id}"
	RouteOrgCodespaces       = "GET /orgs/{org}/codespaces"
	RouteDeleteCodespace     = "DELETE /orgs/{org}/members/{username}/codespaces/{codespace_name}"
	RouteApp                 = "GET /app"
	RouteInstallation        = "GET /app/installations/{installation_id}"
	RouteInstallationToken   = "POST /app/installations/{installation_id}/access_tokens"
	RouteRateLimit           = "GET /rate_limit"
	RouteGraphQL             = "POST /graphql"
)

func (s *Server) routes() {
	handlers := map[string]http.HandlerFunc{
		RouteUser:                s.getUser,
		RouteOrg:                 s.getOrg,
		RouteMembers:             s.listMembers,
		RouteCheckMember:         s.checkMember,
		RouteRemoveMember:        s.removeMember,
		RouteMembership:          s.getMembership,
		RouteRemoveMembership:    s.removeMembership,
		RouteOutsideCollabs:      s.listOutsideCollaborators,
		RouteRemoveOutsideCollab: s.removeOutsideCollaborator,
		RouteInvitations:         s.listInvitations,
		RouteCancelInvitation:    s.cancelInvitation,
		RouteCredentials:         s.listCredentials,
		RouteRemoveCredential:    s.removeCredential,
		RoutePATs:                s.listPATs,
		RouteRevokePATs:          s.revokePATs,
		RouteRevokePAT:           s.revokePAT,
		RouteAuditLog:            s.getAuditLog,
		RouteOrgRepos:            s.listOrgRepos,
		RouteDeployKeys:          s.listDeployKeys,
		RouteDeleteDeployKey:     s.deleteDeployKey,
		RouteRepoInvitations:     s.listRepoInvitations,
		RouteDeleteRepoInvite:    s.deleteRepoInvitation,
		RouteOrgCodespaces:       s.listOrgCodespaces,
		RouteDeleteCodespace:     s.deleteOrgCodespace,
		RouteApp:                 s.getApp,
		RouteInstallation:        s.getInstallation,
		RouteInstallationToken:   s.createInstallationToken,
		RouteRateLimit:           s.getRateLimit,
		RouteGraphQL:             s.graphql,
	}
	for pattern, h := range handlers {
		s.mux.HandleFunc(pattern, h)
	}
}
