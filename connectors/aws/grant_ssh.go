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
	var keys []types.SSHPublicKeyMetadata
	p := iam.NewListSSHPublicKeysPaginator(c.iam, &iam.ListSSHPublicKeysInput{UserName: &user})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, wrap("list ssh public keys", err)
		}
		keys = append(keys, out.SSHPublicKeys...)
	}
	return keys, nil
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

func (c *Connector) revokeSSHKey(ctx context.Context, user, id, mode string) (connectors.Outcome, error) {
	if mode == ModeDelete {
		_, err := c.iam.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: &user, SSHPublicKeyId: &id})
		return outcome("delete ssh public key", err)
	}
	keys, err := c.listSSHKeys(ctx, user)
	if isNoSuchEntity(err) {
		return connectors.AlreadyGone, nil
	}
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		if awssdk.ToString(k.SSHPublicKeyId) != id {
			continue
		}
		if k.Status == types.StatusTypeInactive {
			return connectors.AlreadyGone, nil
		}
		_, err := c.iam.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: &user, SSHPublicKeyId: &id, Status: types.StatusTypeInactive})
		return outcome("deactivate ssh public key", err)
	}
	return connectors.AlreadyGone, nil
}
