package aws

import (
	"context"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/connectors"
)

// serviceCreds is how service-specific credentials are listed, shown and
// revoked.
func (c *Connector) serviceCreds() credential[types.ServiceSpecificCredentialMetadata] {
	return credential[types.ServiceSpecificCredentialMetadata]{c: c, kind: KindServiceCredential, noun: "service specific credential",
		list: c.listServiceCreds,
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

func (c *Connector) serviceCredGrants(acct connectors.Account, inv *inventory) []connectors.Grant {
	return c.serviceCreds().grants(acct, inv.services)
}

// listServiceCreds pages by hand: the SDK has no paginator for this call.
func (c *Connector) listServiceCreds(ctx context.Context, user string) ([]types.ServiceSpecificCredentialMetadata, error) {
	var creds []types.ServiceSpecificCredentialMetadata
	in := &iam.ListServiceSpecificCredentialsInput{UserName: &user}
	for {
		out, err := c.iam.ListServiceSpecificCredentials(ctx, in)
		if err != nil {
			return nil, wrap("list service specific credentials", err)
		}
		creds = append(creds, out.ServiceSpecificCredentials...)
		if !out.IsTruncated || out.Marker == nil {
			return creds, nil
		}
		in.Marker = out.Marker
	}
}
