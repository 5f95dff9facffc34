package aws

import (
	"context"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/connectors"
)

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

func (c *Connector) serviceCredGrants(acct connectors.Account, inv *inventory) []connectors.Grant {
	var gs []connectors.Grant
	for _, cr := range inv.services {
		if c.mode == ModeDisable && cr.Status != types.StatusTypeActive {
			continue
		}
		service := strings.TrimSuffix(awssdk.ToString(cr.ServiceName), ".amazonaws.com")
		gs = append(gs, c.newGrant(acct, KindServiceCredential, awssdk.ToString(cr.ServiceSpecificCredentialId),
			"service credential for "+service,
			strings.ToLower(string(cr.Status)), "user "+awssdk.ToString(cr.ServiceUserName), verb(c.mode)))
	}
	return gs
}

// serviceCreds is how service-specific credentials are revoked.
func (c *Connector) serviceCreds() credential {
	return credential{noun: "service specific credential",
		statuses: func(ctx context.Context, user string) (map[string]types.StatusType, error) {
			creds, err := c.listServiceCreds(ctx, user)
			m := map[string]types.StatusType{}
			for _, cr := range creds {
				m[awssdk.ToString(cr.ServiceSpecificCredentialId)] = cr.Status
			}
			return m, err
		},
		deactivate: func(ctx context.Context, user, id string) error {
			_, err := c.iam.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{
				UserName: &user, ServiceSpecificCredentialId: &id, Status: types.StatusTypeInactive})
			return err
		},
		remove: func(ctx context.Context, user, id string) error {
			_, err := c.iam.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: &user, ServiceSpecificCredentialId: &id})
			return err
		},
	}
}
