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
	p := iam.NewListAccessKeysPaginator(c.iam, &iam.ListAccessKeysInput{UserName: &user})
	return collectPages(ctx, "list access keys", p, func(o *iam.ListAccessKeysOutput) ([]accessKey, *string) {
		keys := make([]accessKey, len(o.AccessKeyMetadata))
		for i, k := range o.AccessKeyMetadata {
			keys[i] = accessKey{AccessKeyMetadata: k}
		}
		return keys, o.Marker
	})
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

// accessKeys is how access keys are revoked.
func (c *Connector) accessKeys() credential {
	return credential{noun: "access key",
		statuses: func(ctx context.Context, user string) (map[string]types.StatusType, error) {
			keys, err := c.listAccessKeys(ctx, user)
			m := map[string]types.StatusType{}
			for _, k := range keys {
				m[awssdk.ToString(k.AccessKeyId)] = k.Status
			}
			return m, err
		},
		deactivate: func(ctx context.Context, user, id string) error {
			_, err := c.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: &user, AccessKeyId: &id, Status: types.StatusTypeInactive})
			return err
		},
		remove: func(ctx context.Context, user, id string) error {
			_, err := c.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: &user, AccessKeyId: &id})
			return err
		},
	}
}
