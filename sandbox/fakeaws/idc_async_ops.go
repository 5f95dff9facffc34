package fakeaws

import "slices"

// deleteAccountAssignment starts an asynchronous deletion: the answer is
// IN_PROGRESS, and the assignment stays until the request succeeds.
func deleteAccountAssignment(c *jcall) (map[string]any, *apiError) {
	ic, err := c.instance()
	if err != nil {
		return nil, err
	}
	req, err := c.required("TargetId", "TargetType", "PermissionSetArn", "PrincipalType", "PrincipalId")
	if err != nil {
		return nil, err
	}
	if req[1] != "AWS_ACCOUNT" {
		return nil, errJSONValidation("TargetType must be AWS_ACCOUNT")
	}
	a := Assignment{AccountID: req[0], PermissionSetARN: req[2], PrincipalType: req[3], PrincipalID: req[4]}
	if !slices.Contains(ic.assignments, a) {
		return nil, errResourceNotFound("Assignment not found")
	}
	r := &asyncRequest{id: c.srv.uuid(), created: c.now, pollsLeft: c.srv.opts.AsyncPolls, status: "IN_PROGRESS", assignment: a}
	if reason, ok := ic.failNext[a]; ok {
		delete(ic.failNext, a)
		r.failure = reason
	}
	r.done = func() {
		if i := slices.Index(ic.assignments, a); i >= 0 {
			ic.assignments = slices.Delete(ic.assignments, i, i+1)
		}
	}
	ic.deletions[r.id] = r
	return map[string]any{"AccountAssignmentDeletionStatus": deletionJSON(r)}, nil
}

func deletionJSON(r *asyncRequest) map[string]any {
	out := map[string]any{"RequestId": r.id, "Status": r.status, "CreatedDate": epoch(r.created),
		"TargetId": r.assignment.AccountID, "TargetType": "AWS_ACCOUNT", "PermissionSetArn": r.assignment.PermissionSetARN,
		"PrincipalType": r.assignment.PrincipalType, "PrincipalId": r.assignment.PrincipalID}
	if r.status == "FAILED" {
		out["FailureReason"] = r.failure
	}
	return out
}

func describeAccountAssignmentDeletionStatus(c *jcall) (map[string]any, *apiError) {
	ic, err := c.instance()
	if err != nil {
		return nil, err
	}
	r, ok := ic.deletions[c.str("AccountAssignmentDeletionRequestId")]
	if !ok {
		return nil, errResourceNotFound("Request %s not found", c.str("AccountAssignmentDeletionRequestId"))
	}
	r.poll()
	c.answer = r.status
	return map[string]any{"AccountAssignmentDeletionStatus": deletionJSON(r)}, nil
}

// provisionPermissionSet starts pushing a permission set's policies to
// the accounts it is provisioned in; it is asynchronous like deletion.
func provisionPermissionSet(c *jcall) (map[string]any, *apiError) {
	ic, ps, err := c.permissionSet()
	if err != nil {
		return nil, err
	}
	if t := c.str("TargetType"); t != "ALL_PROVISIONED_ACCOUNTS" && t != "AWS_ACCOUNT" {
		return nil, errJSONValidation("TargetType must be AWS_ACCOUNT or ALL_PROVISIONED_ACCOUNTS")
	}
	r := &asyncRequest{id: c.srv.uuid(), created: c.now, pollsLeft: c.srv.opts.AsyncPolls, status: "IN_PROGRESS", permSet: ps.ARN}
	ic.provisioning[r.id] = r
	return map[string]any{"PermissionSetProvisioningStatus": provisioningJSON(r)}, nil
}

func provisioningJSON(r *asyncRequest) map[string]any {
	out := map[string]any{"RequestId": r.id, "Status": r.status, "CreatedDate": epoch(r.created), "PermissionSetArn": r.permSet}
	if r.status == "FAILED" {
		out["FailureReason"] = r.failure
	}
	return out
}

func describePermissionSetProvisioningStatus(c *jcall) (map[string]any, *apiError) {
	ic, err := c.instance()
	if err != nil {
		return nil, err
	}
	r, ok := ic.provisioning[c.str("ProvisionPermissionSetRequestId")]
	if !ok {
		return nil, errResourceNotFound("Request %s not found", c.str("ProvisionPermissionSetRequestId"))
	}
	r.poll()
	c.answer = r.status
	return map[string]any{"PermissionSetProvisioningStatus": provisioningJSON(r)}, nil
}
