package fakeaws

import "slices"

func listSSHPublicKeys(c *call, w *xmlw) *apiError {
	u, err := c.targetUser()
	if err != nil {
		return err
	}
	page, next, err := pageOf(c, u.SSHKeys)
	if err != nil {
		return err
	}
	w.open("SSHPublicKeys")
	for _, k := range page {
		w.open("member")
		w.str("UserName", u.Name)
		w.str("SSHPublicKeyId", k.ID)
		w.str("Status", k.Status)
		w.time("UploadDate", k.Uploaded)
		w.close("member")
	}
	w.close("SSHPublicKeys")
	w.page(next)
	return nil
}

func findSSHKey(c *call) (*User, int, *apiError) {
	u, err := c.acct.user(c.param("UserName"))
	if err != nil {
		return nil, 0, err
	}
	id := c.param("SSHPublicKeyId")
	i := slices.IndexFunc(u.SSHKeys, func(k SSHKey) bool { return k.ID == id })
	if i < 0 {
		return nil, 0, errNoSuchEntity("The Public Key with id %s cannot be found.", id)
	}
	return u, i, nil
}

func updateSSHPublicKey(c *call, _ *xmlw) *apiError {
	status, err := statusParam(c)
	if err != nil {
		return err
	}
	u, i, err := findSSHKey(c)
	if err != nil {
		return err
	}
	u.SSHKeys[i].Status = status
	return nil
}

func deleteSSHPublicKey(c *call, _ *xmlw) *apiError {
	u, i, err := findSSHKey(c)
	if err != nil {
		return err
	}
	u.SSHKeys = slices.Delete(u.SSHKeys, i, i+1)
	return nil
}
