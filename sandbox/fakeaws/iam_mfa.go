package fakeaws

import "slices"

func listMFADevices(c *call, w *xmlw) *apiError {
	u, err := c.targetUser()
	if err != nil {
		return err
	}
	page, next, err := pageOf(c, u.MFADevices)
	if err != nil {
		return err
	}
	w.open("MFADevices")
	for _, d := range page {
		w.open("member")
		w.str("UserName", u.Name)
		w.str("SerialNumber", d.Serial)
		w.time("EnableDate", d.Enabled)
		w.close("member")
	}
	w.close("MFADevices")
	w.page(next)
	return nil
}

// deactivateMFADevice unassigns the device; a virtual one lives on,
// unassigned, until DeleteVirtualMFADevice.
func deactivateMFADevice(c *call, _ *xmlw) *apiError {
	u, err := c.targetUser()
	if err != nil {
		return err
	}
	serial := c.param("SerialNumber")
	i := slices.IndexFunc(u.MFADevices, func(d MFADevice) bool { return d.Serial == serial })
	if i < 0 {
		return errNoSuchEntity("MFA Device with serial number %s does not exist.", serial)
	}
	if u.MFADevices[i].Virtual {
		c.acct.virtualMFA[serial] = ""
	}
	u.MFADevices = slices.Delete(u.MFADevices, i, i+1)
	return nil
}

func deleteVirtualMFADevice(c *call, _ *xmlw) *apiError {
	serial := c.param("SerialNumber")
	user, ok := c.acct.virtualMFA[serial]
	if !ok {
		return errNoSuchEntity("VirtualMFADevice with serial number %s doesn't exist.", serial)
	}
	if user != "" {
		return errDeleteConflict("MFA Device is still in use.")
	}
	delete(c.acct.virtualMFA, serial)
	return nil
}
