package fakegithub

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

type userObj struct{ u *user }

func (userObj) typeName() string { return "User" }

func (v userObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	u := v.u
	switch f.name {
	case "login":
		return u.login, nil
	case "id":
		return u.nodeID(), nil
	case "databaseId":
		return u.id, nil
	case "name":
		return u.login, nil
	case "email":
		return u.email, nil
	case "createdAt":
		return u.createdAt.UTC().Format(time.RFC3339), nil
	case "contributionsCollection":
		if err := checkArgs("User", f, args, "from", "to", "organizationID"); err != nil {
			return nil, err
		}
		return ex.contributions(u, args)
	case "issueComments":
		if err := checkArgs("User", f, args, "first", "last", "after", "before", "orderBy"); err != nil {
			return nil, err
		}
		return paginate("IssueCommentConnection", f, args, ex.commentsOf(u))
	}
	return nil, undefinedField("User", f)
}

// commentsOf lists u's issue and pull-request comments everywhere, oldest
// first, as GitHub orders issueComments without an orderBy: last: n gives
// the n newest. contributionsCollection counts none of them.
func (ex *gqlExec) commentsOf(u *user) []gqlObject {
	var cs []comment
	for _, c := range ex.s.comments {
		if strings.EqualFold(c.login, u.login) {
			cs = append(cs, c)
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].at.Before(cs[j].at) })
	out := make([]gqlObject, 0, len(cs))
	for _, c := range cs {
		out = append(out, commentObj{c: c, s: ex.s})
	}
	return out
}

type commentObj struct {
	c comment
	s *Server
}

func (commentObj) typeName() string { return "IssueComment" }

func (v commentObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "createdAt", "updatedAt", "publishedAt":
		return v.c.at.UTC().Format(time.RFC3339), nil
	case "repository":
		o := ex.s.orgs[strings.ToLower(v.c.org)]
		if o == nil || o.repo(v.c.repo) == nil {
			return nil, nil
		}
		return repoObj{o: o, r: o.repo(v.c.repo)}, nil
	}
	return nil, undefinedField("IssueComment", f)
}

type extIDObj struct {
	o  *org
	id SAMLIdentity
	n  int
}

func (extIDObj) typeName() string { return "ExternalIdentity" }

func (v extIDObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "id":
		return nodeID("EI", v.o.id*100000+int64(v.n)), nil
	case "guid":
		return fmt.Sprintf("guid-%d-%d", v.o.id, v.n), nil
	case "samlIdentity":
		return identityObj{typ: "ExternalIdentitySamlAttributes", nameID: v.id.NameID, username: v.id.NameID, emails: v.id.Emails}, nil
	case "scimIdentity":
		if v.id.SCIMUserName == "" {
			return nil, nil
		}
		return identityObj{typ: "ExternalIdentityScimAttributes", username: v.id.SCIMUserName, emails: v.id.Emails}, nil
	case "user":
		if v.id.Login == "" {
			return nil, nil
		}
		if u := ex.s.users[strings.ToLower(v.id.Login)]; u != nil {
			return userObj{u: u}, nil
		}
		return nil, nil
	}
	return nil, undefinedField("ExternalIdentity", f)
}

type identityObj struct {
	typ              string
	nameID, username string
	emails           []string
}

func (o identityObj) typeName() string { return o.typ }

func (o identityObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "nameId":
		if o.typ == "ExternalIdentityScimAttributes" {
			break
		}
		return o.nameID, nil
	case "username":
		return o.username, nil
	case "emails":
		out := make([]gqlObject, 0, len(o.emails))
		for i, e := range o.emails {
			out = append(out, emailObj{value: e, primary: i == 0})
		}
		return out, nil
	}
	return nil, undefinedField(o.typ, f)
}

type emailObj struct {
	value   string
	primary bool
}

func (emailObj) typeName() string { return "UserEmailMetadata" }

func (e emailObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "value":
		return e.value, nil
	case "primary":
		return e.primary, nil
	case "type":
		return "work", nil
	}
	return nil, undefinedField("UserEmailMetadata", f)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
