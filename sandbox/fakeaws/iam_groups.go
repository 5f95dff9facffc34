package fakeaws

import "slices"

func listGroupsForUser(c *call, w *xmlw) *apiError {
	u, err := c.acct.user(c.param("UserName"))
	if err != nil {
		return err
	}
	page, next, err := pageOf(c, u.Groups)
	if err != nil {
		return err
	}
	w.open("Groups")
	for _, name := range page {
		g := c.acct.groups[name]
		w.open("member")
		w.str("Path", g.path)
		w.str("GroupName", g.name)
		w.str("GroupId", g.id)
		w.str("Arn", g.arn)
		w.time("CreateDate", g.created)
		w.close("member")
	}
	w.close("Groups")
	w.page(next)
	return nil
}

func removeUserFromGroup(c *call, _ *xmlw) *apiError {
	name := c.param("GroupName")
	if _, ok := c.acct.groups[name]; !ok {
		return errNoSuchEntity("The group with name %s cannot be found.", name)
	}
	u, err := c.acct.user(c.param("UserName"))
	if err != nil {
		return err
	}
	i := slices.Index(u.Groups, name)
	if i < 0 {
		return errNoSuchEntity("The user with name %s is not in group %s.", u.Name, name)
	}
	u.Groups = slices.Delete(u.Groups, i, i+1)
	return nil
}
