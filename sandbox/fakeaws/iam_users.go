package fakeaws

import (
	"sort"
	"strings"
)

func writeUser(w *xmlw, u *User, full bool) {
	w.str("Path", u.Path)
	w.str("UserName", u.Name)
	w.str("UserId", u.ID)
	w.str("Arn", u.ARN)
	w.time("CreateDate", u.Created)
	if u.PasswordLastUsed != nil {
		w.time("PasswordLastUsed", *u.PasswordLastUsed)
	}
	// Like IAM, listings leave out the boundary and the tags.
	if !full {
		return
	}
	if u.PermissionsBoundary != "" {
		w.open("PermissionsBoundary")
		w.str("PermissionsBoundaryType", "PermissionsBoundaryPolicy")
		w.str("PermissionsBoundaryArn", u.PermissionsBoundary)
		w.close("PermissionsBoundary")
	}
	if len(u.Tags) > 0 {
		w.open("Tags")
		writeTags(w, u.Tags)
		w.close("Tags")
	}
}

func writeTags(w *xmlw, tags map[string]string) {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		w.open("member")
		w.str("Key", k)
		w.str("Value", tags[k])
		w.close("member")
	}
}

func getUser(c *call, w *xmlw) *apiError {
	u, err := c.targetUser()
	if err != nil {
		return err
	}
	w.open("User")
	writeUser(w, u, true)
	w.close("User")
	return nil
}

func listUsers(c *call, w *xmlw) *apiError {
	names := c.acct.names
	if prefix := c.param("PathPrefix"); prefix != "" && prefix != "/" {
		names = nil
		for _, n := range c.acct.names {
			if strings.HasPrefix(c.acct.users[n].Path, prefix) {
				names = append(names, n)
			}
		}
	}
	page, next, err := pageOf(c, names)
	if err != nil {
		return err
	}
	w.open("Users")
	for _, n := range page {
		w.open("member")
		writeUser(w, c.acct.users[n], false)
		w.close("member")
	}
	w.close("Users")
	w.page(next)
	return nil
}

func listUserTags(c *call, w *xmlw) *apiError {
	u, err := c.acct.user(c.param("UserName"))
	if err != nil {
		return err
	}
	w.open("Tags")
	writeTags(w, u.Tags) // at most 50 tags: one page
	w.close("Tags")
	w.page("")
	return nil
}

// deleteUser refuses, like IAM (DeleteConflict), while the user still has a
// password, keys, certificates, credentials, MFA devices, policies or groups.
func deleteUser(c *call, w *xmlw) *apiError {
	u, err := c.acct.user(c.param("UserName"))
	if err != nil {
		return err
	}
	left := []struct {
		has  bool
		what string
	}{
		{u.LoginProfile != nil, "login profile"},
		{len(u.AccessKeys) > 0, "access keys"},
		{len(u.SigningCerts) > 0, "signing certificates"},
		{len(u.SSHKeys) > 0, "SSH public keys"},
		{len(u.ServiceCreds) > 0, "service specific credentials"},
		{len(u.MFADevices) > 0, "MFA devices"},
		{len(u.InlinePolicies) > 0, "policies"},
		{len(u.AttachedPolicies) > 0, "attached policies"},
		{len(u.Groups) > 0, "groups"},
	}
	for _, l := range left {
		if l.has {
			return errDeleteConflict("Cannot delete entity, must remove " + l.what + " first.")
		}
	}
	c.acct.removeUser(u.Name)
	return nil
}
