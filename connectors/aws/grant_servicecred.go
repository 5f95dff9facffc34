package aws

import (
	"context"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// serviceCreds is how service-specific credentials are listed, shown and
// revoked.
func (c *Connector) serviceCreds() credential[types.ServiceSpecificCredentialMetadata] {
	return credential[types.ServiceSpecificCredentialMetadata]{c: c, kind: KindServiceCredential, noun: "service specific credential",
		list: func(ctx context.Context, user string) ([]types.ServiceSpecificCredentialMetadata, error) {
			p := &serviceCredPages{iam: c.iam, in: iam.ListServiceSpecificCredentialsInput{UserName: &user}}
			return collectPages(ctx, "list service specific credentials", p, func(o *iam.ListServiceSpecificCredentialsOutput) ([]types.ServiceSpecificCredentialMetadata, *string) {
				return o.ServiceSpecificCredentials, o.Marker
			})
		},
		held: func(inv *inventory) []types.ServiceSpecificCredentialMetadata { return inv.services },
		view: func(cr types.ServiceSpecificCredentialMetadata) credView {
			service := strings.TrimSuffix(awssdk.ToString(cr.ServiceName), ".amazonaws.com")
			return credView{id: awssdk.ToString(cr.ServiceSpecificCredentialId), title: "service credential for " + service,
				status: cr.Status, detail: "user " + awssdk.ToString(cr.ServiceUserName)}
		},
		deactivate: func(ctx context.Context, user, id string) error {
			return errOf(c.iam.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{
				UserName: &user, ServiceSpecificCredentialId: &id, Status: types.StatusTypeInactive}))
		},
		remove: func(ctx context.Context, user, id string) error {
			return errOf(c.iam.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: &user, ServiceSpecificCredentialId: &id}))
		},
	}
}

// serviceCredPages pages ListServiceSpecificCredentials by hand, as the
// SDK has no paginator for it, and stops where IAM says the list ends.
type serviceCredPages struct {
	iam  *iam.Client
	in   iam.ListServiceSpecificCredentialsInput
	done bool
}

func (p *serviceCredPages) HasMorePages() bool { return !p.done }

func (p *serviceCredPages) NextPage(ctx context.Context, optFns ...func(*iam.Options)) (*iam.ListServiceSpecificCredentialsOutput, error) {
	out, err := p.iam.ListServiceSpecificCredentials(ctx, &p.in, optFns...)
	if err != nil {
		return nil, err
	}
	p.done = !out.IsTruncated || out.Marker == nil
	p.in.Marker = out.Marker
	return out, nil
}
