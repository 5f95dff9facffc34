package aws

import (
	"context"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// signingCerts is how signing certificates are listed, shown and revoked.
func (c *Connector) signingCerts() credential[types.SigningCertificate] {
	return credential[types.SigningCertificate]{c: c, kind: KindSigningCert, noun: "signing certificate",
		list: func(ctx context.Context, user string) ([]types.SigningCertificate, error) {
			p := iam.NewListSigningCertificatesPaginator(c.iam, &iam.ListSigningCertificatesInput{UserName: &user})
			return collectPages(ctx, "list signing certificates", p, func(o *iam.ListSigningCertificatesOutput) ([]types.SigningCertificate, *string) {
				return o.Certificates, o.Marker
			})
		},
		held: func(inv *inventory) []types.SigningCertificate { return inv.certs },
		view: func(cert types.SigningCertificate) credView {
			id := awssdk.ToString(cert.CertificateId)
			return credView{id: id, title: "signing certificate " + shortID(id), status: cert.Status, detail: "uploaded " + day(cert.UploadDate)}
		},
		deactivate: func(ctx context.Context, user, id string) error {
			return errOf(c.iam.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: &user, CertificateId: &id, Status: types.StatusTypeInactive}))
		},
		remove: func(ctx context.Context, user, id string) error {
			return errOf(c.iam.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: &user, CertificateId: &id}))
		},
	}
}
