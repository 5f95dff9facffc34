package aws

import (
	"context"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// accessKeys is how access keys are listed, shown and revoked. A key shows
// the service it was last used with, which fetch reads only with details.
func (c *Connector) accessKeys() credential[accessKey] {
	return credential[accessKey]{c: c, kind: KindAccessKey, noun: "access key",
		list: func(ctx context.Context, user string) ([]accessKey, error) {
			p := iam.NewListAccessKeysPaginator(c.iam, &iam.ListAccessKeysInput{UserName: &user})
			return collectPages(ctx, "list access keys", p, func(o *iam.ListAccessKeysOutput) ([]accessKey, *string) {
				keys := make([]accessKey, len(o.AccessKeyMetadata))
				for i, k := range o.AccessKeyMetadata {
					keys[i] = accessKey{AccessKeyMetadata: k}
				}
				return keys, o.Marker
			})
		},
		held: func(inv *inventory) []accessKey { return inv.keys },
		view: func(k accessKey) credView {
			id := awssdk.ToString(k.AccessKeyId)
			v := credView{id: id, title: "access key " + shortID(id), status: k.Status, detail: "never used"}
			if lu := k.lastUsed; lu != nil && lu.LastUsedDate != nil {
				v.lastActive, v.detail = lu.LastUsedDate, awssdk.ToString(lu.ServiceName)
			}
			return v
		},
		deactivate: func(ctx context.Context, user, id string) error {
			return errOf(c.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: &user, AccessKeyId: &id, Status: types.StatusTypeInactive}))
		},
		remove: func(ctx context.Context, user, id string) error {
			return errOf(c.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: &user, AccessKeyId: &id}))
		},
	}
}

func (c *Connector) accessKeyLastUsed(ctx context.Context, id string) (*types.AccessKeyLastUsed, error) {
	out, err := c.iam.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: &id})
	if err != nil {
		return nil, wrap("get access key last used", err)
	}
	return out.AccessKeyLastUsed, nil
}
