package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/connectors"
)

// loginProfile returns the user's console password, nil when there is none.
func (c *Connector) loginProfile(ctx context.Context, user string) (*types.LoginProfile, error) {
	out, err := c.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: &user})
	if isNoSuchEntity(err) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("get login profile", err)
	}
	return out.LoginProfile, nil
}

func (c *Connector) passwordGrant(acct connectors.Account, inv *inventory) []connectors.Grant {
	if inv.login == nil {
		return nil
	}
	mfa := "no MFA"
	if len(inv.mfa) > 0 {
		mfa = "MFA on"
	}
	g := c.newGrant(acct, KindConsolePassword, "", "console password", mfa, "will delete")
	if inv.login.PasswordResetRequired {
		g.Context = append(g.Context, "password reset required")
	}
	if inv.user != nil {
		g.LastActive = inv.user.PasswordLastUsed
	}
	return []connectors.Grant{g}
}

// revokePassword deletes the login profile in both modes: IAM cannot
// disable a password, and an operator can set a new one to undo it.
func (c *Connector) revokePassword(ctx context.Context, user string) (connectors.Outcome, error) {
	_, err := c.iam.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: &user})
	return outcome("delete login profile", err)
}

// outcome maps the result of a delete-like call: NoSuchEntity means the
// thing was already gone.
func outcome(op string, err error) (connectors.Outcome, error) {
	switch {
	case err == nil:
		return connectors.Revoked, nil
	case isNoSuchEntity(err):
		return connectors.AlreadyGone, nil
	}
	return 0, wrap(op, err)
}
