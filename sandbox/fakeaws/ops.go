package fakeaws

import (
	"path"
	"strings"
)

// opFunc serves one action: it reads c, changes state and writes the inside
// of the <ActionResult> element, or returns the error to answer with.
type opFunc func(c *call, w *xmlw) *apiError

// iamOp returns the IAM operation named action, nil when unknown.
func iamOp(action string) opFunc {
	switch action {
	case "GetUser":
		return getUser
	case "ListUsers":
		return listUsers
	case "ListUserTags":
		return listUserTags
	case "DeleteUser":
		return deleteUser
	case "GetLoginProfile":
		return getLoginProfile
	case "DeleteLoginProfile":
		return deleteLoginProfile
	case "ListAccessKeys":
		return listAccessKeys
	case "GetAccessKeyLastUsed":
		return getAccessKeyLastUsed
	case "UpdateAccessKey":
		return updateAccessKey
	case "DeleteAccessKey":
		return deleteAccessKey
	case "ListSSHPublicKeys":
		return listSSHPublicKeys
	case "UpdateSSHPublicKey":
		return updateSSHPublicKey
	case "DeleteSSHPublicKey":
		return deleteSSHPublicKey
	case "ListSigningCertificates":
		return listSigningCertificates
	case "UpdateSigningCertificate":
		return updateSigningCertificate
	case "DeleteSigningCertificate":
		return deleteSigningCertificate
	case "ListServiceSpecificCredentials":
		return listServiceSpecificCredentials
	case "UpdateServiceSpecificCredential":
		return updateServiceSpecificCredential
	case "DeleteServiceSpecificCredential":
		return deleteServiceSpecificCredential
	case "ListMFADevices":
		return listMFADevices
	case "DeactivateMFADevice":
		return deactivateMFADevice
	case "DeleteVirtualMFADevice":
		return deleteVirtualMFADevice
	case "ListGroupsForUser":
		return listGroupsForUser
	case "RemoveUserFromGroup":
		return removeUserFromGroup
	case "ListAttachedUserPolicies":
		return listAttachedUserPolicies
	case "AttachUserPolicy":
		return attachUserPolicy
	case "DetachUserPolicy":
		return detachUserPolicy
	case "ListUserPolicies":
		return listUserPolicies
	case "DeleteUserPolicy":
		return deleteUserPolicy
	case "ListGroupPolicies":
		return listGroupPolicies
	case "GetGroupPolicy":
		return getGroupPolicy
	case "ListAttachedGroupPolicies":
		return listAttachedGroupPolicies
	case "GetPolicy":
		return getPolicy
	case "GetPolicyVersion":
		return getPolicyVersion
	case "ListRoles":
		return listRoles
	case "PutRolePolicy":
		return putRolePolicy
	case "GetRolePolicy":
		return getRolePolicy
	case "PutUserPolicy":
		return putUserPolicy
	case "GetUserPolicy":
		return getUserPolicy
	case "GenerateCredentialReport":
		return generateCredentialReport
	case "GetCredentialReport":
		return getCredentialReport
	case "GetAccountAuthorizationDetails":
		return getAccountAuthorizationDetails
	case "SimulatePrincipalPolicy":
		return simulatePrincipalPolicy
	}
	return nil
}

// stsOp returns the STS operation named action, nil when unknown.
func stsOp(action string) opFunc {
	switch action {
	case "GetCallerIdentity":
		return getCallerIdentity
	case "AssumeRole":
		return assumeRole
	}
	return nil
}

// targetUser is the user a call is about: UserName, or the caller itself
// when the parameter is absent and the caller is an IAM user.
func (c *call) targetUser() (*User, *apiError) {
	name := c.param("UserName")
	if _, u, ok := strings.Cut(c.who.arn, ":user/"); ok && name == "" {
		name = path.Base("/" + u)
	}
	return c.acct.user(name)
}
