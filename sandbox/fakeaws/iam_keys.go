package fakeaws

import "slices"

func listAccessKeys(c *call, w *xmlw) *apiError {
	u, err := c.targetUser()
	if err != nil {
		return err
	}
	page, next, err := pageOf(c, u.AccessKeys)
	if err != nil {
		return err
	}
	w.open("AccessKeyMetadata")
	for _, k := range page {
		w.open("member")
		w.str("UserName", u.Name)
		w.str("AccessKeyId", k.ID)
		w.str("Status", k.Status)
		w.time("CreateDate", k.Created)
		w.close("member")
	}
	w.close("AccessKeyMetadata")
	w.page(next)
	return nil
}

// getAccessKeyLastUsed answers for any key of the account; a key never used
// has no date and "N/A" for service and region, as IAM says.
func getAccessKeyLastUsed(c *call, w *xmlw) *apiError {
	id := c.param("AccessKeyId")
	for _, n := range c.acct.names {
		u := c.acct.users[n]
		i := slices.IndexFunc(u.AccessKeys, func(k AccessKey) bool { return k.ID == id })
		if i < 0 {
			continue
		}
		k := u.AccessKeys[i]
		w.str("UserName", u.Name)
		w.open("AccessKeyLastUsed")
		service, region := "N/A", "N/A"
		if k.LastUsed != nil {
			w.time("LastUsedDate", *k.LastUsed)
			service, region = orNA(k.LastService), orNA(k.LastRegion)
		}
		w.str("ServiceName", service)
		w.str("Region", region)
		w.close("AccessKeyLastUsed")
		return nil
	}
	return errNoSuchEntity("The Access Key with id %s cannot be found.", id)
}

func orNA(s string) string {
	if s == "" {
		return "N/A"
	}
	return s
}

func findAccessKey(c *call) (*User, int, *apiError) {
	u, err := c.targetUser()
	if err != nil {
		return nil, 0, err
	}
	id := c.param("AccessKeyId")
	i := slices.IndexFunc(u.AccessKeys, func(k AccessKey) bool { return k.ID == id })
	if i < 0 {
		return nil, 0, errNoSuchEntity("The Access Key with id %s cannot be found.", id)
	}
	return u, i, nil
}

func updateAccessKey(c *call, _ *xmlw) *apiError {
	status, err := statusParam(c)
	if err != nil {
		return err
	}
	u, i, err := findAccessKey(c)
	if err != nil {
		return err
	}
	u.AccessKeys[i].Status = status
	return nil
}

func deleteAccessKey(c *call, _ *xmlw) *apiError {
	u, i, err := findAccessKey(c)
	if err != nil {
		return err
	}
	u.AccessKeys = slices.Delete(u.AccessKeys, i, i+1)
	return nil
}

// statusParam reads and checks the Status parameter of an Update call.
func statusParam(c *call) (string, *apiError) {
	s := c.param("Status")
	if s != StatusActive && s != StatusInactive {
		return "", errValidation("1 validation error detected: Value '" + s + "' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]")
	}
	return s, nil
}
