package fakegithub

import (
	"strings"
	"time"
)

type orgObj struct{ o *org }

func (orgObj) typeName() string { return "Organization" }

func (v orgObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	o := v.o
	switch f.name {
	case "id":
		return o.nodeID(), nil
	case "databaseId":
		return o.id, nil
	case "login", "name":
		return o.login, nil
	case "createdAt":
		return o.createdAt.UTC().Format(time.RFC3339), nil
	case "teams":
		if err := checkArgs("Organization", f, args, "first", "last", "after", "before", "userLogins", "query", "orderBy", "privacy", "role", "rootTeamsOnly", "ldapMapped"); err != nil {
			return nil, err
		}
		logins := argStrings(args, "userLogins")
		var items []gqlObject
		for _, t := range o.teams {
			if len(logins) == 0 || teamHasAny(t, logins) {
				items = append(items, teamObj{t: t, o: o})
			}
		}
		return paginate("TeamConnection", f, args, items)
	case "repositories":
		if err := checkArgs("Organization", f, args, "first", "last", "after", "before", "orderBy", "privacy", "isFork", "affiliations", "ownerAffiliations", "isLocked"); err != nil {
			return nil, err
		}
		items := make([]gqlObject, 0, len(o.repos))
		for _, r := range o.repos {
			items = append(items, repoObj{o: o, r: r})
		}
		return paginate("RepositoryConnection", f, args, items)
	case "samlIdentityProvider":
		if !o.hasSAML {
			return nil, nil
		}
		if !ex.canSeeMembers(o) {
			return nil, &gqlError{Type: "FORBIDDEN", Message: "Resource not accessible by integration"}
		}
		return samlObj{o: o}, nil
	}
	return nil, undefinedField("Organization", f)
}

func teamHasAny(t *team, logins []string) bool {
	for _, l := range logins {
		if t.members[strings.ToLower(l)] {
			return true
		}
	}
	return false
}

type teamObj struct {
	t *team
	o *org
}

func (teamObj) typeName() string { return "Team" }

func (v teamObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "slug":
		return v.t.slug, nil
	case "name":
		return v.t.name, nil
	case "combinedSlug":
		return v.o.login + "/" + v.t.slug, nil
	}
	return nil, undefinedField("Team", f)
}

type repoObj struct {
	o *org
	r *repo
}

func (repoObj) typeName() string { return "Repository" }

// field answers collaborators from the outside collaborators the fake
// models; a member's access through the org is not modelled per repository.
func (v repoObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "name":
		return v.r.name, nil
	case "nameWithOwner":
		return v.o.login + "/" + v.r.name, nil
	case "owner":
		return orgObj{o: v.o}, nil
	case "deployKeys":
		if err := checkArgs("Repository", f, args, "first", "last", "after", "before"); err != nil {
			return nil, err
		}
		if !ex.canAdminRepos(v.o) {
			return nil, &gqlError{Type: "FORBIDDEN", Message: "Resource not accessible by integration"}
		}
		items := make([]gqlObject, 0, len(v.r.keys))
		for _, k := range v.r.keys {
			items = append(items, deployKeyObj{k: k})
		}
		return paginate("DeployKeyConnection", f, args, items)
	case "collaborators":
		if err := checkArgs("Repository", f, args, "first", "last", "after", "before", "affiliation", "login", "query"); err != nil {
			return nil, err
		}
		login := argString(args, "login")
		var items []gqlObject
		for _, m := range sortedKeys(v.r.collaborators) {
			if (login == "" || strings.EqualFold(login, m)) && v.o.memberIdx[m] == nil {
				items = append(items, userObj{u: ex.s.users[m]})
			}
		}
		return paginate("RepositoryCollaboratorConnection", f, args, items)
	}
	return nil, undefinedField("Repository", f)
}

type samlObj struct{ o *org }

func (samlObj) typeName() string { return "OrganizationIdentityProvider" }

func (v samlObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "id":
		return nodeID("OIP", v.o.id), nil
	case "ssoUrl":
		return "https://idp.example.invalid/sso", nil
	case "externalIdentities":
		if err := checkArgs("OrganizationIdentityProvider", f, args, "first", "last", "after", "before", "login", "userName", "membersOnly"); err != nil {
			return nil, err
		}
		login, userName := argString(args, "login"), argString(args, "userName")
		membersOnly, _ := args["membersOnly"].(bool)
		var items []gqlObject
		for i, id := range v.o.saml {
			if login != "" && !strings.EqualFold(id.Login, login) {
				continue
			}
			if userName != "" && !strings.EqualFold(id.NameID, userName) && !strings.EqualFold(id.SCIMUserName, userName) {
				continue
			}
			if membersOnly && (id.Login == "" || v.o.member(id.Login) == nil) {
				continue
			}
			items = append(items, extIDObj{o: v.o, id: id, n: i})
		}
		return paginate("ExternalIdentityConnection", f, args, items)
	}
	return nil, undefinedField("OrganizationIdentityProvider", f)
}

// deployKeyObj is GraphQL's DeployKey: no added_by or last use there,
// which only REST gives.
type deployKeyObj struct{ k DeployKey }

func (deployKeyObj) typeName() string { return "DeployKey" }

func (v deployKeyObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "id":
		return nodeID("DK", v.k.ID), nil
	case "title":
		return v.k.Title, nil
	case "readOnly":
		return v.k.ReadOnly, nil
	case "createdAt":
		return v.k.CreatedAt.UTC().Format(time.RFC3339), nil
	case "verified", "enabled":
		return true, nil
	}
	return nil, undefinedField("DeployKey", f)
}
