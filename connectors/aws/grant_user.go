package aws

import (
	"context"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"golang.org/x/sync/errgroup"

	"github.com/offboard/offboard/connectors"
)

// userGrant, in delete mode, is the final action: it removes everything
// DeleteUser requires and then the user, whatever other actions ran.
func (c *Connector) userGrant(acct connectors.Account, inv *inventory) []connectors.Grant {
	if c.mode != ModeDelete {
		return nil
	}
	g := c.newGrant(acct, KindUser, "", "delete IAM user")
	var items []string
	g.Context, items = permissionSummary(inv)
	if inv.login != nil {
		g.Items = append(g.Items, "console password")
	}
	for _, k := range inv.keys {
		g.Items = append(g.Items, "access key "+shortID(awssdk.ToString(k.AccessKeyId)))
	}
	for _, k := range inv.ssh {
		g.Items = append(g.Items, "SSH key "+shortID(awssdk.ToString(k.SSHPublicKeyId)))
	}
	for _, cert := range inv.certs {
		g.Items = append(g.Items, "signing certificate "+shortID(awssdk.ToString(cert.CertificateId)))
	}
	for _, cr := range inv.services {
		g.Items = append(g.Items, "service credential "+awssdk.ToString(cr.ServiceUserName))
	}
	for _, d := range inv.mfa {
		g.Items = append(g.Items, "MFA device "+awssdk.ToString(d.SerialNumber))
	}
	g.Items = append(g.Items, items...)
	g.LastActive = lastActivity(inv)
	return []connectors.Grant{g}
}

// revokeUser empties the user in the order DeleteUser requires, then
// deletes it. One DeleteConflict (something added meanwhile) earns a second
// sweep; a second one is left to the caller's retries.
func (c *Connector) revokeUser(ctx context.Context, user string) (connectors.Outcome, error) {
	for sweep := 0; ; sweep++ {
		inv, err := c.fetch(ctx, user, false)
		if err != nil {
			return 0, err
		}
		if inv == nil {
			return connectors.AlreadyGone, nil
		}
		if err := c.strip(ctx, user, inv); err != nil {
			return 0, err
		}
		_, err = c.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: &user})
		if err == nil || isNoSuchEntity(err) {
			return connectors.Revoked, nil
		}
		if apiCode(err) != "DeleteConflict" || sweep > 0 {
			return 0, wrap("delete user", err)
		}
		c.log.Warn().Str("user", user).Msg("delete user conflicted; sweeping again")
	}
}

// strip removes everything in inv; the removals do not depend on each
// other, so they run in parallel. Whatever is already gone is fine.
func (c *Connector) strip(ctx context.Context, user string, inv *inventory) error {
	g, ctx := errgroup.WithContext(ctx)
	do := func(op string, f func() error) {
		g.Go(func() error {
			_, err := outcome(op, f())
			return err
		})
	}
	u := &user
	if inv.login != nil {
		do("delete login profile", func() error {
			_, err := c.iam.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: u})
			return err
		})
	}
	for _, k := range inv.keys {
		do("delete access key", func() error {
			_, err := c.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: u, AccessKeyId: k.AccessKeyId})
			return err
		})
	}
	for _, cert := range inv.certs {
		do("delete signing certificate", func() error {
			_, err := c.iam.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: u, CertificateId: cert.CertificateId})
			return err
		})
	}
	for _, k := range inv.ssh {
		do("delete ssh public key", func() error {
			_, err := c.iam.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: u, SSHPublicKeyId: k.SSHPublicKeyId})
			return err
		})
	}
	for _, cr := range inv.services {
		do("delete service specific credential", func() error {
			_, err := c.iam.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: u, ServiceSpecificCredentialId: cr.ServiceSpecificCredentialId})
			return err
		})
	}
	for _, d := range inv.mfa {
		do("remove mfa device", func() error {
			_, err := c.iam.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: u, SerialNumber: d.SerialNumber})
			if (err != nil && !isNoSuchEntity(err)) || !isVirtual(awssdk.ToString(d.SerialNumber)) {
				return err
			}
			_, err = c.iam.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: d.SerialNumber})
			return err
		})
	}
	for _, name := range inv.inline {
		do("delete user policy", func() error {
			_, err := c.iam.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: u, PolicyName: &name})
			return err
		})
	}
	for _, p := range inv.attached {
		do("detach user policy", func() error {
			_, err := c.iam.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: u, PolicyArn: p.PolicyArn})
			return err
		})
	}
	for _, grp := range inv.groups {
		do("remove user from group", func() error {
			_, err := c.iam.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: u, GroupName: grp.GroupName})
			return err
		})
	}
	return g.Wait()
}
