package aws

import (
	"context"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// serviceCreds is how service-specific credentials are listed, shown and
// revoked.
func (c *Connector) serviceCreds() credential[types.ServiceSpecificCredentialMetadata] {
	return credential[types.ServiceSpecificCredentialMetadata]{c: c, kind: KindServiceCredential, noun: "service specific credential",
		list: func(ctx context.Context, user string) ([]types.ServiceSpecificCredentialMetadata, error) {
			// The SDK has no paginator for this call: page by hand.
			var creds []types.ServiceSpecificCredentialMetadata
			err := awsapi.Pages(ctx, connectors.AWS, "list service specific credentials", 0, func(ctx context.Context, token *string) (*string, error) {
				out, err := c.iam.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: &user, Marker: token})
				if err != nil {
					return nil, err
				}
				creds = append(creds, out.ServiceSpecificCredentials...)
				if !out.IsTruncated {
					return nil, nil
				}
				return out.Marker, nil
			})
			if err != nil {
				return nil, err
			}
			return creds, nil
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
