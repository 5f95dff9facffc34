package fakeaws

import (
	"net/http"
	"strings"
)

func identityStoreOp(action string) jsonOp {
	switch action {
	case "GetUserId":
		return getUserID
	case "DescribeUser":
		return describeUser
	case "ListUsers":
		return listIdCUsers
	case "ListGroupMembershipsForMember":
		return listGroupMembershipsForMember
	case "DescribeGroup":
		return describeGroup
	case "DeleteGroupMembership":
		return deleteGroupMembership
	}
	return nil
}

// store checks that the call names the identity store of an Identity
// Center the caller's account owns.
func (c *jcall) store() (*identityCenter, *apiError) {
	ic := c.srv.idc
	if ic == nil || ic.owner != c.acct.id {
		return nil, &apiError{Status: http.StatusForbidden, Code: "AccessDeniedException",
			Message: "User: " + c.who.arn + " is not authorized to access this identity store"}
	}
	if c.str("IdentityStoreId") != ic.storeID {
		return nil, errResourceNotFound("Identity store %s not found", c.str("IdentityStoreId"))
	}
	return ic, nil
}

// getUserID finds a user by a unique attribute; the only paths the API
// accepts are userName and emails.value.
func getUserID(c *jcall) (map[string]any, *apiError) {
	ic, err := c.store()
	if err != nil {
		return nil, err
	}
	path, value := c.str("AlternateIdentifier.UniqueAttribute.AttributePath"), c.str("AlternateIdentifier.UniqueAttribute.AttributeValue")
	for _, u := range ic.users {
		switch path {
		case "userName":
			if strings.EqualFold(u.UserName, value) {
				return map[string]any{"IdentityStoreId": ic.storeID, "UserId": u.ID}, nil
			}
		case "emails.value":
			for _, e := range u.Emails {
				if strings.EqualFold(e, value) {
					return map[string]any{"IdentityStoreId": ic.storeID, "UserId": u.ID}, nil
				}
			}
		default:
			return nil, errJSONValidation("Invalid attribute path " + path)
		}
	}
	return nil, errResourceNotFound("USER not found.")
}

func userJSON(ic *identityCenter, u *IdCUser) map[string]any {
	emails := []any{}
	for i, e := range u.Emails {
		emails = append(emails, map[string]any{"Value": e, "Type": "work", "Primary": i == 0})
	}
	out := map[string]any{"IdentityStoreId": ic.storeID, "UserId": u.ID, "UserName": u.UserName,
		"DisplayName": u.DisplayName, "Emails": emails, "UserStatus": u.Status}
	if len(u.ExternalIDs) > 0 {
		ext := []any{}
		for _, x := range u.ExternalIDs {
			ext = append(ext, map[string]any{"Issuer": x.Issuer, "Id": x.ID})
		}
		out["ExternalIds"] = ext
	}
	return out
}

func describeUser(c *jcall) (map[string]any, *apiError) {
	ic, err := c.store()
	if err != nil {
		return nil, err
	}
	u := ic.user(c.str("UserId"))
	if u == nil {
		return nil, errResourceNotFound("USER not found.")
	}
	return userJSON(ic, u), nil
}

// listIdCUsers supports the one filter the API documents for ListUsers,
// UserName, matched exactly.
func listIdCUsers(c *jcall) (map[string]any, *apiError) {
	ic, err := c.store()
	if err != nil {
		return nil, err
	}
	var path, value string
	if fs, ok := c.in["Filters"].([]any); ok && len(fs) > 0 {
		f, _ := fs[0].(map[string]any)
		path, _ = f["AttributePath"].(string)
		value, _ = f["AttributeValue"].(string)
		if path != "UserName" {
			return nil, errJSONValidation("Invalid filter attribute path " + path)
		}
	}
	var match []*IdCUser
	for _, u := range ic.users {
		if path == "" || u.UserName == value {
			match = append(match, u)
		}
	}
	page, out, err := jsonPage(c, match, 100, 100)
	if err != nil {
		return nil, err
	}
	users := []any{}
	for _, u := range page {
		users = append(users, userJSON(ic, u))
	}
	out["Users"] = users
	return out, nil
}

func listGroupMembershipsForMember(c *jcall) (map[string]any, *apiError) {
	ic, err := c.store()
	if err != nil {
		return nil, err
	}
	uid := c.str("MemberId.UserId")
	if ic.user(uid) == nil {
		return nil, errResourceNotFound("USER not found.")
	}
	var mine []membership
	for _, m := range ic.memberships {
		if m.userID == uid {
			mine = append(mine, m)
		}
	}
	page, out, err := jsonPage(c, mine, 100, 100)
	if err != nil {
		return nil, err
	}
	list := []any{}
	for _, m := range page {
		list = append(list, map[string]any{"IdentityStoreId": ic.storeID, "MembershipId": m.id,
			"GroupId": m.groupID, "MemberId": map[string]any{"UserId": m.userID}})
	}
	out["GroupMemberships"] = list
	return out, nil
}

func describeGroup(c *jcall) (map[string]any, *apiError) {
	ic, err := c.store()
	if err != nil {
		return nil, err
	}
	g, ok := ic.groups[c.str("GroupId")]
	if !ok {
		return nil, errResourceNotFound("GROUP not found.")
	}
	return map[string]any{"IdentityStoreId": ic.storeID, "GroupId": g.ID, "DisplayName": g.DisplayName}, nil
}

func deleteGroupMembership(c *jcall) (map[string]any, *apiError) {
	ic, err := c.store()
	if err != nil {
		return nil, err
	}
	id := c.str("MembershipId")
	for i, m := range ic.memberships {
		if m.id == id {
			ic.memberships = append(ic.memberships[:i:i], ic.memberships[i+1:]...)
			return map[string]any{}, nil
		}
	}
	return nil, errResourceNotFound("GROUP_MEMBERSHIP not found.")
}
