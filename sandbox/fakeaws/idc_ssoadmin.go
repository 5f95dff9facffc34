package fakeaws

import "net/http"

func ssoAdminOp(action string) jsonOp {
	switch action {
	case "ListInstances":
		return listInstances
	case "ListAccountAssignmentsForPrincipal":
		return listAccountAssignmentsForPrincipal
	case "DescribePermissionSet":
		return describePermissionSet
	case "DeleteAccountAssignment":
		return deleteAccountAssignment
	case "DescribeAccountAssignmentDeletionStatus":
		return describeAccountAssignmentDeletionStatus
	case "GetInlinePolicyForPermissionSet":
		return getInlinePolicyForPermissionSet
	case "PutInlinePolicyToPermissionSet":
		return putInlinePolicyToPermissionSet
	case "ProvisionPermissionSet":
		return provisionPermissionSet
	case "DescribePermissionSetProvisioningStatus":
		return describePermissionSetProvisioningStatus
	}
	return nil
}

// instance checks that the call names the instance of an Identity Center
// the caller's account owns.
func (c *jcall) instance() (*identityCenter, *apiError) {
	ic := c.srv.idc
	if ic == nil || ic.owner != c.acct.id {
		return nil, &apiError{Status: http.StatusForbidden, Code: "AccessDeniedException",
			Message: "User: " + c.who.arn + " is not authorized to access this instance"}
	}
	if c.str("InstanceArn") != ic.instanceARN {
		return nil, errResourceNotFound("Instance %s not found", c.str("InstanceArn"))
	}
	return ic, nil
}

// listInstances shows the instance to its owner account only; other
// accounts see none.
func listInstances(c *jcall) (map[string]any, *apiError) {
	list := []any{}
	if ic := c.srv.idc; ic != nil && ic.owner == c.acct.id {
		list = append(list, map[string]any{"InstanceArn": ic.instanceARN, "IdentityStoreId": ic.storeID,
			"OwnerAccountId": ic.owner, "Status": "ACTIVE"})
	}
	return map[string]any{"Instances": list}, nil
}

func listAccountAssignmentsForPrincipal(c *jcall) (map[string]any, *apiError) {
	ic, err := c.instance()
	if err != nil {
		return nil, err
	}
	req, err := c.required("PrincipalId", "PrincipalType")
	if err != nil {
		return nil, err
	}
	account := c.str("Filter.AccountId")
	var match []Assignment
	for _, a := range ic.assignments {
		if a.PrincipalID == req[0] && a.PrincipalType == req[1] && (account == "" || a.AccountID == account) {
			match = append(match, a)
		}
	}
	page, out, err := jsonPage(c, match, 100, 100)
	if err != nil {
		return nil, err
	}
	list := []any{}
	for _, a := range page {
		list = append(list, map[string]any{"AccountId": a.AccountID, "PermissionSetArn": a.PermissionSetARN,
			"PrincipalId": a.PrincipalID, "PrincipalType": a.PrincipalType})
	}
	out["AccountAssignments"] = list
	return out, nil
}

// permissionSet finds the call's instance and, in it, its permission set.
func (c *jcall) permissionSet() (*identityCenter, *PermissionSet, *apiError) {
	ic, err := c.instance()
	if err != nil {
		return nil, nil, err
	}
	ps, ok := ic.permSets[c.str("PermissionSetArn")]
	if !ok {
		return nil, nil, errResourceNotFound("Could not find PermissionSet with ARN %s", c.str("PermissionSetArn"))
	}
	return ic, ps, nil
}

func describePermissionSet(c *jcall) (map[string]any, *apiError) {
	_, ps, err := c.permissionSet()
	if err != nil {
		return nil, err
	}
	return map[string]any{"PermissionSet": map[string]any{"Name": ps.Name, "PermissionSetArn": ps.ARN,
		"SessionDuration": "PT1H"}}, nil
}

func getInlinePolicyForPermissionSet(c *jcall) (map[string]any, *apiError) {
	_, ps, err := c.permissionSet()
	if err != nil {
		return nil, err
	}
	return map[string]any{"InlinePolicy": ps.InlinePolicy}, nil
}

func putInlinePolicyToPermissionSet(c *jcall) (map[string]any, *apiError) {
	_, ps, err := c.permissionSet()
	if err != nil {
		return nil, err
	}
	if c.str("InlinePolicy") == "" {
		return nil, errJSONValidation("InlinePolicy must not be empty")
	}
	ps.InlinePolicy = c.str("InlinePolicy")
	return map[string]any{}, nil
}
