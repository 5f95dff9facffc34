package aws

import (
	"context"
	"path"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/connectors"
)

func (c *Connector) listMFADevices(ctx context.Context, user string) ([]types.MFADevice, error) {
	p := iam.NewListMFADevicesPaginator(c.iam, &iam.ListMFADevicesInput{UserName: &user})
	return collectPages(ctx, "list mfa devices", p, func(o *iam.ListMFADevicesOutput) ([]types.MFADevice, *string) {
		return o.MFADevices, o.Marker
	})
}

// isVirtual tells a virtual device (arn:…:mfa/NAME) from a hardware one (a
// serial number) and from a U2F/FIDO security key (arn:…:u2f/…), which is
// an ARN too but is only deactivated, never deleted as a virtual device.
func isVirtual(serial string) bool {
	return strings.HasPrefix(serial, "arn:") && strings.Contains(serial, ":mfa/")
}

// mfaGrants exist only in delete mode: in disable mode a second factor
// without a password or keys opens nothing, and it shows as context.
func (c *Connector) mfaGrants(acct connectors.Account, inv *inventory) []connectors.Grant {
	if c.mode != ModeDelete {
		return nil
	}
	var gs []connectors.Grant
	for _, d := range inv.mfa {
		serial := awssdk.ToString(d.SerialNumber)
		kind, name := "hardware", serial
		switch {
		case isVirtual(serial):
			kind, name = "virtual", path.Base(serial)
		case strings.Contains(serial, ":u2f/"):
			kind, name = "security key", path.Base(serial)
		}
		gs = append(gs, c.newGrant(acct, KindMFADevice, serial, "MFA device "+name,
			kind, "enabled "+day(d.EnableDate), "will delete"))
	}
	return gs
}

// revokeMFADevice deactivates the device and deletes it when virtual. A
// virtual device that an earlier attempt deactivated is no longer listed
// for the user but still exists, so it is deleted all the same.
func (c *Connector) revokeMFADevice(ctx context.Context, user, serial string) (connectors.Outcome, error) {
	devs, err := c.listMFADevices(ctx, user)
	if err != nil && !isNoSuchEntity(err) {
		return 0, err
	}
	result := connectors.AlreadyGone
	for _, d := range devs {
		if awssdk.ToString(d.SerialNumber) == serial {
			_, err := c.iam.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: &user, SerialNumber: &serial})
			if result, err = outcome("deactivate mfa device", err); err != nil {
				return 0, err
			}
		}
	}
	if !isVirtual(serial) {
		return result, nil
	}
	_, err = c.iam.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: &serial})
	deleted, err := outcome("delete virtual mfa device", err)
	if err != nil {
		return 0, err
	}
	if deleted == connectors.Revoked {
		result = connectors.Revoked
	}
	return result, nil
}
