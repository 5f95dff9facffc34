package fakeaws

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

func listAttachedUserPolicies(c *call, w *xmlw) *apiError {
	u, err := c.acct.user(c.param("UserName"))
	if err != nil {
		return err
	}
	return listAttached(c, w, u.AttachedPolicies)
}

// listAttached answers one page of a user's or a group's attached managed
// policies: IAM gives both listings the same shape.
func listAttached(c *call, w *xmlw, arns []string) *apiError {
	page, next, err := pageOf(c, arns)
	if err != nil {
		return err
	}
	w.open("AttachedPolicies")
	for _, arn := range page {
		w.open("member")
		w.str("PolicyName", policyName(arn))
		w.str("PolicyArn", arn)
		w.close("member")
	}
	w.close("AttachedPolicies")
	w.page(next)
	return nil
}

// attachUserPolicy is idempotent like IAM's and enforces the quota of
// managed policies per user.
func attachUserPolicy(c *call, _ *xmlw) *apiError {
	u, err := c.acct.user(c.param("UserName"))
	if err != nil {
		return err
	}
	arn := c.param("PolicyArn")
	if !strings.HasPrefix(arn, "arn:") || !strings.Contains(arn, ":policy/") {
		return errValidation("ARN " + arn + " is not valid.")
	}
	if slices.Contains(u.AttachedPolicies, arn) {
		return nil
	}
	if len(u.AttachedPolicies) >= MaxManagedPolicies {
		return &apiError{Status: http.StatusConflict, Code: "LimitExceeded",
			Message: "Cannot exceed quota for PoliciesPerUser: 10"}
	}
	u.AttachedPolicies = append(u.AttachedPolicies, arn)
	return nil
}

func detachUserPolicy(c *call, _ *xmlw) *apiError {
	u, err := c.acct.user(c.param("UserName"))
	if err != nil {
		return err
	}
	arn := c.param("PolicyArn")
	i := slices.Index(u.AttachedPolicies, arn)
	if i < 0 {
		return errNoSuchEntity("Policy %s was not found.", arn)
	}
	u.AttachedPolicies = slices.Delete(u.AttachedPolicies, i, i+1)
	return nil
}

func listUserPolicies(c *call, w *xmlw) *apiError {
	u, err := c.acct.user(c.param("UserName"))
	if err != nil {
		return err
	}
	return listInlineNames(c, w, u.InlinePolicies)
}

// listInlineNames answers one page of the names of a user's or a group's
// inline policies, in name order so that a Marker stays valid between calls.
func listInlineNames(c *call, w *xmlw, inline map[string]string) *apiError {
	page, next, err := pageOf(c, slices.Sorted(maps.Keys(inline)))
	if err != nil {
		return err
	}
	w.open("PolicyNames")
	for _, n := range page {
		w.str("member", n)
	}
	w.close("PolicyNames")
	w.page(next)
	return nil
}

func deleteUserPolicy(c *call, _ *xmlw) *apiError {
	u, err := c.acct.user(c.param("UserName"))
	if err != nil {
		return err
	}
	name := c.param("PolicyName")
	if _, ok := u.InlinePolicies[name]; !ok {
		return errNoSuchEntity("The user policy with name %s cannot be found.", name)
	}
	delete(u.InlinePolicies, name)
	return nil
}
