package idc

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/identitystore"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// Revoke removes one grant idempotently: what is already gone is
// AlreadyGone. Manual rows are never revoked here.
func (c *Connector) Revoke(ctx context.Context, g connectors.Grant) (connectors.Outcome, error) {
	if !c.owns(g.Account) {
		return 0, &connectors.Error{System: connectors.IdentityCenter, Op: "revoke " + g.Kind, Kind: connectors.KindConfig,
			Err: fmt.Errorf("grant belongs to %s %s, not to identity store %s", g.Account.System, g.Account.Scope, c.storeID)}
	}
	ctx, cancel := awsapi.WithDeadline(ctx, c.opts.Timeout)
	defer cancel()
	start := time.Now()
	var out connectors.Outcome
	var err error
	switch g.Kind {
	case KindGroupMembership:
		out, err = c.removeMembership(ctx, g.Ref)
	case KindAssignment:
		parts := strings.SplitN(g.Ref, "|", 3)
		if len(parts) != 3 {
			return 0, badRef(g)
		}
		out, err = c.deleteAssignment(ctx, parts[0], parts[1], parts[2])
	case KindSessions:
		user, sets, ok := strings.Cut(g.Ref, "|")
		if !ok {
			return 0, badRef(g)
		}
		out, err = c.endSessions(ctx, user, strings.Split(sets, ","))
	default:
		return 0, &connectors.Error{System: connectors.IdentityCenter, Op: "revoke " + g.Kind, Kind: connectors.KindConfig,
			Err: fmt.Errorf("grant kind %q is not revoked by the connector", g.Kind)}
	}
	ev := c.log.Info()
	if err != nil {
		ev = c.log.Warn().Err(err)
	}
	ev.Str("user", g.Account.ID).Str("kind", g.Kind).Stringer("outcome", out).Dur("took", time.Since(start)).Msg("revoke")
	return out, err
}

func badRef(g connectors.Grant) error {
	return &connectors.Error{System: connectors.IdentityCenter, Op: "revoke " + g.Kind, Kind: connectors.KindConfig,
		Err: fmt.Errorf("malformed grant reference %q", g.Ref)}
}

func (c *Connector) removeMembership(ctx context.Context, membershipID string) (connectors.Outcome, error) {
	_, err := c.store.DeleteGroupMembership(ctx, &identitystore.DeleteGroupMembershipInput{IdentityStoreId: &c.storeID, MembershipId: &membershipID})
	if awsapi.IsNotFound(err) {
		return connectors.AlreadyGone, nil
	}
	if err != nil {
		return 0, wrap("delete group membership", err)
	}
	return connectors.Revoked, nil
}
