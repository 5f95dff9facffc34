package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/connectors"
)

// credential is a user's credential that disable mode sets inactive and
// delete mode deletes: an access key, an SSH key, a signing certificate,
// a service-specific credential. Each kind says how to do the three calls;
// revokeCredential does the rest the same way for all of them.
type credential struct {
	noun       string // "access key", for error texts
	statuses   func(ctx context.Context, user string) (map[string]types.StatusType, error)
	deactivate func(ctx context.Context, user, id string) error
	remove     func(ctx context.Context, user, id string) error
}

// revokeCredential deletes (delete mode) or deactivates (disable mode) one
// credential. Deactivating looks first, so that one already inactive, or
// gone, or whose user is gone, is reported as already gone.
func (c *Connector) revokeCredential(ctx context.Context, cr credential, user, id, mode string) (connectors.Outcome, error) {
	if mode == ModeDelete {
		return outcome("delete "+cr.noun, cr.remove(ctx, user, id))
	}
	statuses, err := cr.statuses(ctx, user)
	if isNoSuchEntity(err) {
		return connectors.AlreadyGone, nil
	}
	if err != nil {
		return 0, err
	}
	status, ok := statuses[id]
	if !ok || status == types.StatusTypeInactive {
		return connectors.AlreadyGone, nil
	}
	return outcome("deactivate "+cr.noun, cr.deactivate(ctx, user, id))
}
