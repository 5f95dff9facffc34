package fakeaws

import (
	"sort"
	"strings"
)

// simulatePrincipalPolicy allows every action except those Deny'd in the
// account; it does not evaluate policy documents.
func simulatePrincipalPolicy(c *call, w *xmlw) *apiError {
	if c.param("PolicySourceArn") == "" {
		return errValidation("1 validation error detected: Value at 'policySourceArn' failed to satisfy constraint: Member must not be null")
	}
	var keys []string
	for k := range c.params {
		if strings.HasPrefix(k, "ActionNames.member.") {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return memberIndex(keys[i]) < memberIndex(keys[j]) })
	actions := make([]string, 0, len(keys))
	for _, k := range keys {
		actions = append(actions, c.params[k][0])
	}
	page, next, err := pageOf(c, actions)
	if err != nil {
		return err
	}
	w.open("EvaluationResults")
	for _, a := range page {
		decision := "allowed"
		if c.acct.denied[a] {
			decision = "implicitDeny"
		}
		w.open("member")
		w.str("EvalActionName", a)
		w.str("EvalResourceName", "*")
		w.str("EvalDecision", decision)
		w.close("member")
	}
	w.close("EvaluationResults")
	w.page(next)
	return nil
}

// memberIndex is N of "X.member.N", for ordering list parameters.
func memberIndex(key string) int {
	n := 0
	for _, r := range key[strings.LastIndexByte(key, '.')+1:] {
		n = n*10 + int(r-'0')
	}
	return n
}
