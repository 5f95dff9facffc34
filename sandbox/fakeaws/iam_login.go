package fakeaws

func getLoginProfile(c *call, w *xmlw) *apiError {
	u, err := c.targetUser()
	if err != nil {
		return err
	}
	if u.LoginProfile == nil {
		return errNoSuchEntity("Login Profile for User %s cannot be found.", u.Name)
	}
	w.open("LoginProfile")
	w.str("UserName", u.Name)
	w.time("CreateDate", u.LoginProfile.Created)
	w.boolean("PasswordResetRequired", u.LoginProfile.ResetRequired)
	w.close("LoginProfile")
	return nil
}

func deleteLoginProfile(c *call, _ *xmlw) *apiError {
	u, err := c.targetUser()
	if err != nil {
		return err
	}
	if u.LoginProfile == nil {
		return errNoSuchEntity("Login Profile for User %s cannot be found.", u.Name)
	}
	u.LoginProfile = nil
	return nil
}
