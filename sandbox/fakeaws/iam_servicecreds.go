package fakeaws

import "slices"

func listServiceSpecificCredentials(c *call, w *xmlw) *apiError {
	u, err := c.targetUser()
	if err != nil {
		return err
	}
	creds := u.ServiceCreds
	if svc := c.param("ServiceName"); svc != "" {
		creds = nil
		for _, cr := range u.ServiceCreds {
			if cr.ServiceName == svc {
				creds = append(creds, cr)
			}
		}
	}
	page, next, err := pageOf(c, creds)
	if err != nil {
		return err
	}
	w.open("ServiceSpecificCredentials")
	for _, cr := range page {
		w.open("member")
		w.str("UserName", u.Name)
		w.str("Status", cr.Status)
		w.str("ServiceUserName", cr.ServiceUserName)
		w.time("CreateDate", cr.Created)
		w.str("ServiceSpecificCredentialId", cr.ID)
		w.str("ServiceName", cr.ServiceName)
		w.close("member")
	}
	w.close("ServiceSpecificCredentials")
	w.page(next)
	return nil
}

func findServiceCred(c *call) (*User, int, *apiError) {
	u, err := c.targetUser()
	if err != nil {
		return nil, 0, err
	}
	id := c.param("ServiceSpecificCredentialId")
	i := slices.IndexFunc(u.ServiceCreds, func(s ServiceCred) bool { return s.ID == id })
	if i < 0 {
		return nil, 0, errNoSuchEntity("No such credential %s exists.", id)
	}
	return u, i, nil
}

func updateServiceSpecificCredential(c *call, _ *xmlw) *apiError {
	status, err := statusParam(c)
	if err != nil {
		return err
	}
	u, i, err := findServiceCred(c)
	if err != nil {
		return err
	}
	u.ServiceCreds[i].Status = status
	return nil
}

func deleteServiceSpecificCredential(c *call, _ *xmlw) *apiError {
	u, i, err := findServiceCred(c)
	if err != nil {
		return err
	}
	u.ServiceCreds = slices.Delete(u.ServiceCreds, i, i+1)
	return nil
}
