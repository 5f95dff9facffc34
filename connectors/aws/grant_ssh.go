package aws

import (
	"context"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/connectors"
)

func (c *Connector) listSSHKeys(ctx context.Context, user string) ([]types.SSHPublicKeyMetadata, error) {
	p := iam.NewListSSHPublicKeysPaginator(c.iam, &iam.ListSSHPublicKeysInput{UserName: &user})
	return collectPages(ctx, "list ssh public keys", p, func(o *iam.ListSSHPublicKeysOutput) ([]types.SSHPublicKeyMetadata, *string) {
		return o.SSHPublicKeys, o.Marker
	})
}

func (c *Connector) sshKeyGrants(acct connectors.Account, inv *inventory) []connectors.Grant {
	var gs []connectors.Grant
	for _, k := range inv.ssh {
		if c.mode == ModeDisable && k.Status != types.StatusTypeActive {
			continue
		}
		id := awssdk.ToString(k.SSHPublicKeyId)
		gs = append(gs, c.newGrant(acct, KindSSHKey, id, "SSH key "+shortID(id),
			strings.ToLower(string(k.Status)), "uploaded "+day(k.UploadDate), verb(c.mode)))
	}
	return gs
}

// sshKeys is how SSH public keys are revoked.
func (c *Connector) sshKeys() credential {
	return credential{noun: "ssh public key",
		statuses: func(ctx context.Context, user string) (map[string]types.StatusType, error) {
			keys, err := c.listSSHKeys(ctx, user)
			m := map[string]types.StatusType{}
			for _, k := range keys {
				m[awssdk.ToString(k.SSHPublicKeyId)] = k.Status
			}
			return m, err
		},
		deactivate: func(ctx context.Context, user, id string) error {
			_, err := c.iam.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: &user, SSHPublicKeyId: &id, Status: types.StatusTypeInactive})
			return err
		},
		remove: func(ctx context.Context, user, id string) error {
			_, err := c.iam.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: &user, SSHPublicKeyId: &id})
			return err
		},
	}
}
