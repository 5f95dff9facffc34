package aws

import (
	"context"
	"sync/atomic"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"golang.org/x/sync/errgroup"
)

// inventory is everything an IAM user holds, as the list calls found it.
type inventory struct {
	user     *types.User // only when fetched with details
	login    *types.LoginProfile
	keys     []accessKey
	ssh      []types.SSHPublicKeyMetadata
	certs    []types.SigningCertificate
	services []types.ServiceSpecificCredentialMetadata
	mfa      []types.MFADevice
	groups   []types.Group
	attached []types.AttachedPolicy
	inline   []string
}

type accessKey struct {
	types.AccessKeyMetadata
	lastUsed *types.AccessKeyLastUsed // only when fetched with details
}

// fetch lists everything the user holds, every list in parallel. With
// details it also reads the user itself and each key's last use, which a
// checklist shows and a deletion does not need. It returns nil, nil when
// the user does not exist.
func (c *Connector) fetch(ctx context.Context, user string, details bool) (*inventory, error) {
	inv := &inventory{}
	var missing atomic.Bool
	g, ctx := errgroup.WithContext(ctx)
	// run lists one kind; NoSuchEntity means the user itself is gone.
	run := func(f func() error) {
		g.Go(func() error {
			err := f()
			if isNoSuchEntity(err) {
				missing.Store(true)
				return nil
			}
			return err
		})
	}
	if details {
		run(func() (err error) {
			out, err := c.iam.GetUser(ctx, &iam.GetUserInput{UserName: &user})
			if err == nil {
				inv.user = out.User
			}
			return wrap("get user", err)
		})
	}
	g.Go(func() (err error) { inv.login, err = c.loginProfile(ctx, user); return err })
	run(func() error {
		keys, err := c.accessKeys().list(ctx, user)
		inv.keys = keys
		if err != nil || !details {
			return err
		}
		for i := range inv.keys {
			run(func() (err error) {
				inv.keys[i].lastUsed, err = c.accessKeyLastUsed(ctx, awssdk.ToString(inv.keys[i].AccessKeyId))
				return err
			})
		}
		return nil
	})
	run(func() (err error) { inv.ssh, err = c.sshKeys().list(ctx, user); return err })
	run(func() (err error) { inv.certs, err = c.signingCerts().list(ctx, user); return err })
	run(func() (err error) { inv.services, err = c.serviceCreds().list(ctx, user); return err })
	run(func() (err error) { inv.mfa, err = c.listMFADevices(ctx, user); return err })
	run(func() (err error) { inv.groups, err = c.listGroups(ctx, user); return err })
	run(func() (err error) { inv.attached, err = c.listAttachedPolicies(ctx, user); return err })
	run(func() (err error) { inv.inline, err = c.listInlinePolicies(ctx, user); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if missing.Load() {
		return nil, nil
	}
	return inv, nil
}
