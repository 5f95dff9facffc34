package fakeaws

import "slices"

func listSigningCertificates(c *call, w *xmlw) *apiError {
	u, err := c.targetUser()
	if err != nil {
		return err
	}
	page, next, err := pageOf(c, u.SigningCerts)
	if err != nil {
		return err
	}
	w.open("Certificates")
	for _, cert := range page {
		w.open("member")
		w.str("UserName", u.Name)
		w.str("CertificateId", cert.ID)
		w.str("CertificateBody", cert.Body)
		w.str("Status", cert.Status)
		w.time("UploadDate", cert.Uploaded)
		w.close("member")
	}
	w.close("Certificates")
	w.page(next)
	return nil
}

func findSigningCert(c *call) (*User, int, *apiError) {
	u, err := c.targetUser()
	if err != nil {
		return nil, 0, err
	}
	id := c.param("CertificateId")
	i := slices.IndexFunc(u.SigningCerts, func(s SigningCert) bool { return s.ID == id })
	if i < 0 {
		return nil, 0, errNoSuchEntity("The Certificate with id %s cannot be found.", id)
	}
	return u, i, nil
}

func updateSigningCertificate(c *call, _ *xmlw) *apiError {
	status, err := statusParam(c)
	if err != nil {
		return err
	}
	u, i, err := findSigningCert(c)
	if err != nil {
		return err
	}
	u.SigningCerts[i].Status = status
	return nil
}

func deleteSigningCertificate(c *call, _ *xmlw) *apiError {
	u, i, err := findSigningCert(c)
	if err != nil {
		return err
	}
	u.SigningCerts = slices.Delete(u.SigningCerts, i, i+1)
	return nil
}
