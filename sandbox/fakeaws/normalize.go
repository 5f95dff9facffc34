package fakeaws

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// normalize fills in what a seeded user left empty the way IAM would have,
// checks IAM's quotas and registers groups and virtual MFA devices in the
// account. s.mu must be held.
func (s *Server) normalize(a *account, u *User) error {
	now := s.clock()
	if u.Path == "" {
		u.Path = "/"
	}
	if u.ID == "" {
		u.ID = s.newID("AIDA", 17)
	}
	if u.ARN == "" {
		u.ARN = "arn:aws:iam::" + a.id + ":user" + u.Path + u.Name
	}
	if u.Created.IsZero() {
		u.Created = now
	}
	if len(u.AccessKeys) > MaxAccessKeys {
		return fmt.Errorf("user %s: %d access keys, IAM allows %d", u.Name, len(u.AccessKeys), MaxAccessKeys)
	}
	if len(u.AttachedPolicies) > MaxManagedPolicies {
		return fmt.Errorf("user %s: %d managed policies, IAM allows %d", u.Name, len(u.AttachedPolicies), MaxManagedPolicies)
	}
	if u.LoginProfile != nil && u.LoginProfile.Created.IsZero() {
		u.LoginProfile.Created = u.Created
	}
	for i := range u.AccessKeys {
		k := &u.AccessKeys[i]
		fill(&k.ID, s.newID("AKIA", 16))
		fill(&k.Status, StatusActive)
		if k.Created.IsZero() {
			k.Created = u.Created
		}
	}
	for i := range u.SSHKeys {
		k := &u.SSHKeys[i]
		fill(&k.ID, s.newID("APKA", 16))
		fill(&k.Status, StatusActive)
		fill(&k.Body, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyFor"+u.Name)
		if k.Uploaded.IsZero() {
			k.Uploaded = u.Created
		}
	}
	for i := range u.SigningCerts {
		c := &u.SigningCerts[i]
		fill(&c.ID, s.newID("", 32))
		fill(&c.Status, StatusActive)
		fill(&c.Body, "-----BEGIN CERTIFICATE-----\nMIIFake\n-----END CERTIFICATE-----")
		if c.Uploaded.IsZero() {
			c.Uploaded = u.Created
		}
	}
	for i := range u.ServiceCreds {
		c := &u.ServiceCreds[i]
		fill(&c.ID, s.newID("ACCA", 17))
		fill(&c.Status, StatusActive)
		fill(&c.ServiceName, "codecommit.amazonaws.com")
		fill(&c.ServiceUserName, u.Name+"-at-"+a.id)
		if c.Created.IsZero() {
			c.Created = u.Created
		}
	}
	for i := range u.MFADevices {
		d := &u.MFADevices[i]
		if d.Serial == "" {
			d.Virtual = true
			d.Serial = "arn:aws:iam::" + a.id + ":mfa/" + u.Name
			if i > 0 {
				d.Serial += fmt.Sprintf("-%d", i+1)
			}
		}
		if d.Enabled.IsZero() {
			d.Enabled = u.Created
		}
		if d.Virtual {
			a.virtualMFA[d.Serial] = u.Name
		}
	}
	for _, g := range u.Groups {
		if _, ok := a.groups[g]; !ok {
			a.groups[g] = &group{name: g, id: s.newID("AGPA", 17), path: "/",
				arn: "arn:aws:iam::" + a.id + ":group/" + g, created: now}
		}
	}
	u.Groups = dedupe(u.Groups)
	u.AttachedPolicies = dedupe(u.AttachedPolicies)
	return nil
}

func fill(field *string, v string) {
	if *field == "" {
		*field = v
	}
}

func dedupe(xs []string) []string {
	out := xs[:0:0]
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// policyName is the last segment of a policy ARN
// (arn:aws:iam::aws:policy/job-function/ViewOnlyAccess → ViewOnlyAccess).
func policyName(arn string) string {
	_, rest, _ := strings.Cut(arn, ":policy/")
	return path.Base("/" + rest)
}
