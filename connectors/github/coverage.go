package github

import (
	"fmt"
	"slices"
	"strings"

	"github.com/offboard/offboard/connectors"
)

// coverage is what the working credentials can see, for doctor's report
// of which grant classes are covered.
type coverage struct {
	token  bool
	scopes []string // nil: a fine-grained token, whose rights GitHub does not report
	app    bool
	perms  map[string]string
}

// grantClass is one kind of access and who may list and revoke it: a
// classic token with one of scopes, or an App with permission perm at
// write. An empty scopes means a token cannot; an empty perm that an App
// cannot.
type grantClass struct {
	name   string
	scopes []string
	perm   string
}

var grantClasses = []grantClass{
	{"org membership, outside collaborators and org invitations", []string{"admin:org"}, "members"},
	{"SAML-SSO credential authorizations", []string{"admin:org"}, ""},
	{"fine-grained PAT access", nil, "organization_personal_access_tokens"},
	{"deploy keys and repository invitations", []string{"repo"}, "administration"},
	{"org-billed Codespaces", []string{"admin:org"}, "organization_codespaces"},
}

// check says which classes are covered and, for each that is not, what
// would cover it. It fails only when no credential works: a token-only or
// App-only deployment learns what it misses without doctor failing for a
// choice the operator made (the credential checks fail on their own when
// a credential lacks what offboard needs at least).
func (cv coverage) check() connectors.Check {
	ch := connectors.Check{Name: "github grant classes", OK: true}
	var covered, missing []string
	for _, gc := range grantClasses {
		if why := cv.gap(gc); why != "" {
			missing = append(missing, fmt.Sprintf("%s (%s)", gc.name, why))
			continue
		}
		covered = append(covered, gc.name)
	}
	switch {
	case !cv.token && !cv.app:
		ch.OK, ch.Detail = false, "no working GitHub credentials: no grant class is covered"
		return ch
	case len(missing) == 0:
		ch.Detail = "covered: " + strings.Join(covered, "; ")
	default:
		ch.Detail = "covered: " + strings.Join(covered, "; ") + ". NOT covered: " + strings.Join(missing, "; ")
	}
	return ch
}

// gap says why gc is not covered, "" when it is. The token serves every
// class it can when it is set; the App serves the rest (see Connector.rest).
func (cv coverage) gap(gc grantClass) string {
	tokenCan := cv.token && (cv.scopes == nil || slices.ContainsFunc(gc.scopes, func(s string) bool { return slices.Contains(cv.scopes, s) }))
	appCan := cv.app && cv.perms[gc.perm] == "write"
	switch {
	case gc.perm == "": // a token only
		if tokenCan {
			return ""
		}
		if !cv.token {
			return "GitHub lists these only to a token: set GITHUB_TOKEN"
		}
		return "the token lacks scope " + strings.Join(gc.scopes, " or ")
	case len(gc.scopes) == 0: // an App only
		if appCan {
			return ""
		}
		if !cv.app {
			return "GitHub lists these only to a GitHub App: set one with " + gc.perm + ": write"
		}
		return "the App lacks " + gc.perm + ": write"
	case cv.token:
		if tokenCan {
			return ""
		}
		return "the token lacks scope " + strings.Join(gc.scopes, " or ")
	case appCan:
		return ""
	}
	return "the App lacks " + gc.perm + ": write"
}
