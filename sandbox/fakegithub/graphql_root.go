package fakegithub

import (
	"fmt"
	"strings"
	"time"
)

type queryRoot struct{}

func (queryRoot) typeName() string { return "Query" }

func (queryRoot) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	s := ex.s
	switch f.name {
	case "organization":
		if err := checkArgs("Query", f, args, "login!"); err != nil {
			return nil, err
		}
		login := argString(args, "login")
		o := s.orgs[strings.ToLower(login)]
		if o == nil {
			return nil, notFound(fmt.Sprintf("Could not resolve to an Organization with the login of '%s'.", login))
		}
		return orgObj{o: o}, nil
	case "user":
		if err := checkArgs("Query", f, args, "login!"); err != nil {
			return nil, err
		}
		login := argString(args, "login")
		u := s.users[strings.ToLower(login)]
		if u == nil {
			return nil, notFound(fmt.Sprintf("Could not resolve to a User with the login of '%s'.", login))
		}
		return userObj{u: u}, nil
	case "viewer":
		if ex.caller.inst != nil {
			return nil, &gqlError{Type: "FORBIDDEN", Message: notForApp}
		}
		return userObj{u: s.users[strings.ToLower(ex.caller.login)]}, nil
	case "rateLimit":
		return rateLimitObj{ri: s.limits.charge(s.now(), ex.caller.key(), "graphql", 0), cost: reqState(ex.r).cost}, nil
	}
	return nil, undefinedField("Query", f)
}

type rateLimitObj struct {
	ri   rateInfo
	cost int
}

func (rateLimitObj) typeName() string { return "RateLimit" }

func (o rateLimitObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "cost":
		return o.cost, nil
	case "limit":
		return o.ri.limit, nil
	case "remaining":
		return max(o.ri.remaining-o.cost, 0), nil
	case "used":
		return o.ri.used + o.cost, nil
	case "resetAt":
		return o.ri.reset.UTC().Format(time.RFC3339), nil
	case "nodeCount":
		return o.cost * 100, nil
	}
	return nil, undefinedField("RateLimit", f)
}

// canSeeMembers says whether the caller may read the org's member-level
// data (SAML identities): an org owner or an App with members access.
// canAdminRepos says whether the caller may read the org's repositories'
// administration (deploy keys): an App with administration, or an owner's
// token with the repo scope.
func (ex *gqlExec) canAdminRepos(o *org) bool {
	p := ex.caller
	if p.inst != nil {
		lvl := p.inst.perms["administration"]
		return strings.EqualFold(p.inst.org, o.login) && (lvl == "read" || lvl == "write")
	}
	m := o.member(p.login)
	return m != nil && m.role == "admin" && p.hasScope("repo")
}

func (ex *gqlExec) canSeeMembers(o *org) bool {
	p := ex.caller
	if p.inst != nil {
		lvl := p.inst.perms["members"]
		return strings.EqualFold(p.inst.org, o.login) && (lvl == "read" || lvl == "write")
	}
	m := o.member(p.login)
	return m != nil && m.role == "admin"
}
