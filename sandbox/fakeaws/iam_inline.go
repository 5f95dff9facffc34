package fakeaws

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// maxUserInlinePolicyChars is IAM's quota on the aggregate size of a
// user's inline policies (whitespace not counted).
const maxUserInlinePolicyChars = 2048

// putUserPolicy adds or replaces an inline policy, refusing a document
// that is not JSON (MalformedPolicyDocument) or one that takes the user's
// inline policies over their quota (LimitExceeded).
func putUserPolicy(c *call, _ *xmlw) *apiError {
	u, err := c.acct.user(c.param("UserName"))
	if err != nil {
		return err
	}
	name, doc := c.param("PolicyName"), c.param("PolicyDocument")
	if name == "" {
		return errValidation("1 validation error detected: Value null at 'policyName' failed to satisfy constraint: Member must not be null")
	}
	if !json.Valid([]byte(doc)) {
		return &apiError{Status: http.StatusBadRequest, Code: "MalformedPolicyDocument", Message: "Syntax errors in policy."}
	}
	total := compactLen(doc)
	for n, d := range u.InlinePolicies {
		if n != name {
			total += compactLen(d)
		}
	}
	if total > maxUserInlinePolicyChars {
		return &apiError{Status: http.StatusConflict, Code: "LimitExceeded",
			Message: "Maximum policy size of 2048 bytes exceeded for user " + u.Name}
	}
	if u.InlinePolicies == nil {
		u.InlinePolicies = map[string]string{}
	}
	u.InlinePolicies[name] = doc
	return nil
}

// getUserPolicy answers the document URL-encoded, as IAM does (RFC 3986).
func getUserPolicy(c *call, w *xmlw) *apiError {
	u, err := c.acct.user(c.param("UserName"))
	if err != nil {
		return err
	}
	name := c.param("PolicyName")
	doc, ok := u.InlinePolicies[name]
	if !ok {
		return errNoSuchEntity("The user policy with name %s cannot be found.", name)
	}
	w.str("UserName", u.Name)
	w.str("PolicyName", name)
	w.str("PolicyDocument", encodePolicy(doc))
	return nil
}

// encodePolicy URL-encodes a policy document the way IAM returns it.
func encodePolicy(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

func compactLen(doc string) int {
	n := 0
	for _, r := range doc {
		if r != ' ' && r != '\n' && r != '\t' && r != '\r' {
			n++
		}
	}
	return n
}
