package aws

import (
	"context"
	"fmt"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// Revoke removes one grant idempotently, in the mode recorded in its Ref:
// what is already gone (or already inactive, in disable mode) is AlreadyGone.
func (c *Connector) Revoke(ctx context.Context, g connectors.Grant) (connectors.Outcome, error) {
	if !c.owns(g.Account) {
		return 0, &connectors.Error{System: connectors.AWS, Op: "revoke " + g.Kind, Kind: connectors.KindConfig,
			Err: fmt.Errorf("grant belongs to %s %s, not to account %s", g.Account.System, g.Account.Scope, c.accountID)}
	}
	ctx, cancel := awsapi.WithDeadline(ctx, c.opts.Timeout)
	defer cancel()
	start := time.Now()
	mode, id := c.parseRef(g.Ref)
	user := g.Account.ID
	var out connectors.Outcome
	var err error
	switch g.Kind {
	case KindConsolePassword:
		out, err = c.revokePassword(ctx, user)
	case KindAccessKey:
		out, err = c.accessKeys().revoke(ctx, user, id, mode)
	case KindSSHKey:
		out, err = c.sshKeys().revoke(ctx, user, id, mode)
	case KindSigningCert:
		out, err = c.signingCerts().revoke(ctx, user, id, mode)
	case KindServiceCredential:
		out, err = c.serviceCreds().revoke(ctx, user, id, mode)
	case KindMFADevice:
		out, err = c.revokeMFADevice(ctx, user, id)
	case KindPolicies:
		out, err = c.revokePolicies(ctx, user)
	case KindUser:
		out, err = c.revokeUser(ctx, user)
	case KindRoleSessions:
		out, err = c.revokeRoleSessions(ctx, id)
	default:
		return 0, &connectors.Error{System: connectors.AWS, Op: "revoke " + g.Kind, Kind: connectors.KindConfig,
			Err: fmt.Errorf("unknown grant kind %q", g.Kind)}
	}
	ev := c.log.Info()
	if err != nil {
		ev = c.log.Warn().Err(err)
	}
	ev.Str("user", user).Str("kind", g.Kind).Str("ref", g.Ref).Str("mode", mode).
		Stringer("outcome", out).Dur("took", time.Since(start)).Msg("revoke")
	return out, err
}
