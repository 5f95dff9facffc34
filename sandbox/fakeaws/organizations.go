package fakeaws

import (
	"fmt"
	"net/http"
	"slices"
)

// OrgAccount is a member account of the organisation.
type OrgAccount struct {
	ID     string
	Name   string
	Email  string
	Status string // ACTIVE (default), SUSPENDED, PENDING_CLOSURE
}

type organization struct {
	id         string
	management string
	accounts   []OrgAccount
}

// SetOrganization makes the accounts one organisation whose management
// account is management; each account is created if it does not exist.
// ListAccounts lists the management account too, as the real service does
// (named "management" unless members names it).
func (s *Server) SetOrganization(management string, members []OrgAccount) error {
	for _, id := range append([]string{management}, idsOf(members)...) {
		if err := s.AddAccount(id); err != nil {
			return fmt.Errorf("set organization: %w", err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	org := &organization{id: "o-" + s.hex(10), management: management}
	if !slices.Contains(idsOf(members), management) {
		members = append([]OrgAccount{{ID: management, Name: "management"}}, members...)
	}
	for _, a := range members {
		if a.Status == "" {
			a.Status = "ACTIVE"
		}
		org.accounts = append(org.accounts, a)
	}
	s.org = org
	return nil
}

func idsOf(as []OrgAccount) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

func organizationsOp(action string) jsonOp {
	switch action {
	case "ListAccounts":
		return listOrgAccounts
	case "DescribeOrganization":
		return describeOrganization
	}
	return nil
}

func (c *jcall) inOrg() bool {
	if c.srv.org == nil {
		return false
	}
	if c.acct.id == c.srv.org.management {
		return true
	}
	for _, a := range c.srv.org.accounts {
		if a.ID == c.acct.id {
			return true
		}
	}
	return false
}

// listOrgAccounts answers the management account only (pages of at most
// 20); a member account is refused, as the real service refuses it.
func listOrgAccounts(c *jcall) (map[string]any, *apiError) {
	if !c.inOrg() {
		return nil, &apiError{Status: http.StatusNotFound, Code: "AWSOrganizationsNotInUseException",
			Message: "Your account is not a member of an organization."}
	}
	if c.acct.id != c.srv.org.management {
		return nil, &apiError{Status: http.StatusForbidden, Code: "AccessDeniedException",
			Message: "You don't have permissions to access this resource."}
	}
	page, out, err := jsonPage(c, c.srv.org.accounts, 20, 20)
	if err != nil {
		return nil, err
	}
	list := []any{}
	for _, a := range page {
		list = append(list, map[string]any{"Id": a.ID, "Name": a.Name, "Email": a.Email, "Status": a.Status,
			"Arn": "arn:aws:organizations::" + c.srv.org.management + ":account/" + c.srv.org.id + "/" + a.ID})
	}
	out["Accounts"] = list
	return out, nil
}

func describeOrganization(c *jcall) (map[string]any, *apiError) {
	if !c.inOrg() {
		return nil, &apiError{Status: http.StatusNotFound, Code: "AWSOrganizationsNotInUseException",
			Message: "Your account is not a member of an organization."}
	}
	o := c.srv.org
	return map[string]any{"Organization": map[string]any{"Id": o.id, "MasterAccountId": o.management,
		"Arn": "arn:aws:organizations::" + o.management + ":organization/" + o.id, "FeatureSet": "ALL"}}, nil
}
