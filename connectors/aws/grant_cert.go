package aws

import (
	"context"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/connectors"
)

func (c *Connector) listSigningCerts(ctx context.Context, user string) ([]types.SigningCertificate, error) {
	p := iam.NewListSigningCertificatesPaginator(c.iam, &iam.ListSigningCertificatesInput{UserName: &user})
	return collectPages(ctx, "list signing certificates", p, func(o *iam.ListSigningCertificatesOutput) ([]types.SigningCertificate, *string) {
		return o.Certificates, o.Marker
	})
}

func (c *Connector) signingCertGrants(acct connectors.Account, inv *inventory) []connectors.Grant {
	var gs []connectors.Grant
	for _, cert := range inv.certs {
		if c.mode == ModeDisable && cert.Status != types.StatusTypeActive {
			continue
		}
		id := awssdk.ToString(cert.CertificateId)
		gs = append(gs, c.newGrant(acct, KindSigningCert, id, "signing certificate "+shortID(id),
			strings.ToLower(string(cert.Status)), "uploaded "+day(cert.UploadDate), verb(c.mode)))
	}
	return gs
}

// signingCerts is how signing certificates are revoked.
func (c *Connector) signingCerts() credential {
	return credential{noun: "signing certificate",
		statuses: func(ctx context.Context, user string) (map[string]types.StatusType, error) {
			certs, err := c.listSigningCerts(ctx, user)
			m := map[string]types.StatusType{}
			for _, cert := range certs {
				m[awssdk.ToString(cert.CertificateId)] = cert.Status
			}
			return m, err
		},
		deactivate: func(ctx context.Context, user, id string) error {
			_, err := c.iam.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: &user, CertificateId: &id, Status: types.StatusTypeInactive})
			return err
		},
		remove: func(ctx context.Context, user, id string) error {
			_, err := c.iam.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: &user, CertificateId: &id})
			return err
		},
	}
}
