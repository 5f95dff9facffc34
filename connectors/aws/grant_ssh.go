package aws

import (
	"context"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// sshKeys is how SSH public keys are listed, shown and revoked.
func (c *Connector) sshKeys() credential[types.SSHPublicKeyMetadata] {
	return credential[types.SSHPublicKeyMetadata]{c: c, kind: KindSSHKey, noun: "ssh public key",
		list: func(ctx context.Context, user string) ([]types.SSHPublicKeyMetadata, error) {
			p := iam.NewListSSHPublicKeysPaginator(c.iam, &iam.ListSSHPublicKeysInput{UserName: &user})
			return collectPages(ctx, "list ssh public keys", p, func(o *iam.ListSSHPublicKeysOutput) ([]types.SSHPublicKeyMetadata, *string) {
				return o.SSHPublicKeys, o.Marker
			})
		},
		held: func(inv *inventory) []types.SSHPublicKeyMetadata { return inv.ssh },
		view: func(k types.SSHPublicKeyMetadata) credView {
			id := awssdk.ToString(k.SSHPublicKeyId)
			return credView{id: id, title: "SSH key " + shortID(id), status: k.Status, detail: "uploaded " + day(k.UploadDate)}
		},
		deactivate: func(ctx context.Context, user, id string) error {
			return errOf(c.iam.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: &user, SSHPublicKeyId: &id, Status: types.StatusTypeInactive}))
		},
		remove: func(ctx context.Context, user, id string) error {
			return errOf(c.iam.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: &user, SSHPublicKeyId: &id}))
		},
	}
}
