package aws

import (
	"context"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/connectors"
)

func (c *Connector) listAccessKeys(ctx context.Context, user string) ([]accessKey, error) {
	var keys []accessKey
	p := iam.NewListAccessKeysPaginator(c.iam, &iam.ListAccessKeysInput{UserName: &user})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, wrap("list access keys", err)
		}
		for _, k := range out.AccessKeyMetadata {
			keys = append(keys, accessKey{AccessKeyMetadata: k})
		}
	}
	return keys, nil
}

func (c *Connector) accessKeyLastUsed(ctx context.Context, id string) (*types.AccessKeyLastUsed, error) {
	out, err := c.iam.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: &id})
	if err != nil {
		return nil, wrap("get access key last used", err)
	}
	return out.AccessKeyLastUsed, nil
}

// accessKeyGrants makes one grant per key. In disable mode an inactive key
// is already what revoking would make it, so it is left out.
func (c *Connector) accessKeyGrants(acct connectors.Account, inv *inventory) []connectors.Grant {
	var gs []connectors.Grant
	for _, k := range inv.keys {
		if c.mode == ModeDisable && k.Status != types.StatusTypeActive {
			continue
		}
		id := awssdk.ToString(k.AccessKeyId)
		service := "never used"
		g := c.newGrant(acct, KindAccessKey, id, "access key "+shortID(id))
		if lu := k.lastUsed; lu != nil && lu.LastUsedDate != nil {
			g.LastActive = lu.LastUsedDate
			service = awssdk.ToString(lu.ServiceName)
		}
		g.Context = []string{strings.ToLower(string(k.Status)), service, verb(c.mode)}
		gs = append(gs, g)
	}
	return gs
}

// revokeAccessKey deactivates or deletes one key. Deactivating looks first,
// so that a key already inactive is reported as already gone.
func (c *Connector) revokeAccessKey(ctx context.Context, user, id, mode string) (connectors.Outcome, error) {
	if mode == ModeDelete {
		_, err := c.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: &user, AccessKeyId: &id})
		return outcome("delete access key", err)
	}
	keys, err := c.listAccessKeys(ctx, user)
	if isNoSuchEntity(err) {
		return connectors.AlreadyGone, nil
	}
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		if awssdk.ToString(k.AccessKeyId) != id {
			continue
		}
		if k.Status == types.StatusTypeInactive {
			return connectors.AlreadyGone, nil
		}
		_, err := c.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: &user, AccessKeyId: &id, Status: types.StatusTypeInactive})
		return outcome("deactivate access key", err)
	}
	return connectors.AlreadyGone, nil
}
