package fakeaws

import (
	"net/url"
	"sort"
	"strings"
)

// getAccountAuthorizationDetails answers for users only (the fake keeps no
// roles or policy documents of its own): with no Filter, or one that
// includes User, it pages through every user with its groups, policies
// and tags.
func getAccountAuthorizationDetails(c *call, w *xmlw) *apiError {
	wantUsers, filtered := false, false
	for k, v := range c.params {
		if strings.HasPrefix(k, "Filter.member.") {
			filtered = true
			wantUsers = wantUsers || v[0] == "User"
		}
	}
	var names []string
	if wantUsers || !filtered {
		names = c.acct.names
	}
	page, next, err := pageOf(c, names)
	if err != nil {
		return err
	}
	w.open("UserDetailList")
	for _, n := range page {
		w.open("member")
		writeUserDetail(w, c.acct.users[n])
		w.close("member")
	}
	w.close("UserDetailList")
	w.page(next)
	return nil
}

func writeUserDetail(w *xmlw, u *User) {
	writeUser(w, u, true)
	w.open("GroupList")
	for _, g := range u.Groups {
		w.str("member", g)
	}
	w.close("GroupList")
	w.open("AttachedManagedPolicies")
	for _, arn := range u.AttachedPolicies {
		w.open("member")
		w.str("PolicyName", policyName(arn))
		w.str("PolicyArn", arn)
		w.close("member")
	}
	w.close("AttachedManagedPolicies")
	names := make([]string, 0, len(u.InlinePolicies))
	for n := range u.InlinePolicies {
		names = append(names, n)
	}
	sort.Strings(names)
	w.open("UserPolicyList")
	for _, n := range names {
		w.open("member")
		w.str("PolicyName", n)
		w.str("PolicyDocument", url.QueryEscape(u.InlinePolicies[n])) // IAM URL-encodes documents
		w.close("member")
	}
	w.close("UserPolicyList")
}
