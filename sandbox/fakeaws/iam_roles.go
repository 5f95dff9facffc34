package fakeaws

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// AddManagedPolicy creates a customer managed policy (one version, v1)
// and returns its ARN.
func (s *Server) AddManagedPolicy(accountID, name, document string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok {
		return "", fmt.Errorf("add managed policy: no account %s", accountID)
	}
	arn := "arn:aws:iam::" + accountID + ":policy/" + name
	a.managed[arn] = document
	return arn, nil
}

// SetGroupPolicies gives a group (created if needed) inline and attached policies.
func (s *Server) SetGroupPolicies(accountID, groupName string, inline map[string]string, attached []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok {
		return fmt.Errorf("set group policies: no account %s", accountID)
	}
	g, ok := a.groups[groupName]
	if !ok {
		g = &group{name: groupName, id: s.newID("AGPA", 17), path: "/", arn: "arn:aws:iam::" + accountID + ":group/" + groupName, created: s.clock()}
		a.groups[groupName] = g
	}
	g.inline, g.attached = inline, slices.Clone(attached)
	return nil
}

// RolePolicy returns a role's inline policy document.
func (s *Server) RolePolicy(accountID, role, name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok {
		return "", false
	}
	doc, ok := a.rolePolicies[role][name]
	return doc, ok
}

func (c *call) group() (*group, *apiError) {
	g, ok := c.acct.groups[c.param("GroupName")]
	if !ok {
		return nil, errNoSuchEntity("The group with name %s cannot be found.", c.param("GroupName"))
	}
	return g, nil
}

func listGroupPolicies(c *call, w *xmlw) *apiError {
	g, err := c.group()
	if err != nil {
		return err
	}
	return listInlineNames(c, w, g.inline)
}

func getGroupPolicy(c *call, w *xmlw) *apiError {
	g, err := c.group()
	if err != nil {
		return err
	}
	doc, ok := g.inline[c.param("PolicyName")]
	if !ok {
		return errNoSuchEntity("The group policy with name %s cannot be found.", c.param("PolicyName"))
	}
	w.str("GroupName", g.name)
	w.str("PolicyName", c.param("PolicyName"))
	w.str("PolicyDocument", encodePolicy(doc))
	return nil
}

func listAttachedGroupPolicies(c *call, w *xmlw) *apiError {
	g, err := c.group()
	if err != nil {
		return err
	}
	return listAttached(c, w, g.attached)
}

// getPolicy answers for customer managed policies, whose one version is v1.
func getPolicy(c *call, w *xmlw) *apiError {
	arn := c.param("PolicyArn")
	if _, ok := c.acct.managed[arn]; !ok {
		return errNoSuchEntity("Policy %s was not found.", arn)
	}
	w.open("Policy")
	w.str("PolicyName", policyName(arn))
	w.str("Arn", arn)
	w.str("DefaultVersionId", "v1")
	w.close("Policy")
	return nil
}

// getPolicyVersion answers the document URL-encoded, as IAM does.
func getPolicyVersion(c *call, w *xmlw) *apiError {
	doc, ok := c.acct.managed[c.param("PolicyArn")]
	if !ok || c.param("VersionId") != "v1" {
		return errNoSuchEntity("Policy %s version %s does not exist or is not attachable.", c.param("PolicyArn"), c.param("VersionId"))
	}
	w.open("PolicyVersion")
	w.str("Document", encodePolicy(doc))
	w.str("VersionId", "v1")
	w.boolean("IsDefaultVersion", true)
	w.close("PolicyVersion")
	return nil
}

func listRoles(c *call, w *xmlw) *apiError {
	names := make([]string, 0, len(c.acct.roles))
	for n := range c.acct.roles {
		names = append(names, n)
	}
	sort.Strings(names)
	page, next, err := pageOf(c, names)
	if err != nil {
		return err
	}
	w.open("Roles")
	for _, n := range page {
		w.open("member")
		w.str("Path", "/")
		w.str("RoleName", n)
		h := fnv.New64a()
		h.Write([]byte(c.acct.id + n))
		w.str("RoleId", "AROA"+strings.ToUpper(fmt.Sprintf("%017x", h.Sum64())))
		w.str("Arn", "arn:aws:iam::"+c.acct.id+":role/"+n)
		w.time("CreateDate", c.acct.created)
		w.close("member")
	}
	w.close("Roles")
	w.page(next)
	return nil
}

func (c *call) role() (string, *apiError) {
	name := c.param("RoleName")
	if !c.acct.roles[name] {
		return "", errNoSuchEntity("The role with name %s cannot be found.", name)
	}
	return name, nil
}

func putRolePolicy(c *call, _ *xmlw) *apiError {
	role, err := c.role()
	if err != nil {
		return err
	}
	doc := c.param("PolicyDocument")
	if !json.Valid([]byte(doc)) {
		return &apiError{Status: http.StatusBadRequest, Code: "MalformedPolicyDocument", Message: "Syntax errors in policy."}
	}
	if c.acct.rolePolicies[role] == nil {
		c.acct.rolePolicies[role] = map[string]string{}
	}
	c.acct.rolePolicies[role][c.param("PolicyName")] = doc
	return nil
}

func getRolePolicy(c *call, w *xmlw) *apiError {
	role, err := c.role()
	if err != nil {
		return err
	}
	doc, ok := c.acct.rolePolicies[role][c.param("PolicyName")]
	if !ok {
		return errNoSuchEntity("The role policy with name %s cannot be found.", c.param("PolicyName"))
	}
	w.str("RoleName", role)
	w.str("PolicyName", c.param("PolicyName"))
	w.str("PolicyDocument", encodePolicy(doc))
	return nil
}
