package aws

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/connectors"
)

// credential is one kind of a user's credential that disable mode sets
// inactive and delete mode deletes: an access key, an SSH key, a signing
// certificate, a service-specific credential. Each kind says once how to
// list, show, deactivate and delete its items; grants and revoke do the
// rest the same way for all of them.
type credential[T any] struct {
	c          *Connector
	kind       string // the grants' Kind
	noun       string // "access key", for error texts
	list       func(ctx context.Context, user string) ([]T, error)
	held       func(*inventory) []T // what fetch found of this kind
	view       func(T) credView
	deactivate func(ctx context.Context, user, id string) error
	remove     func(ctx context.Context, user, id string) error
}

// credView is what a grant shows of one listed credential.
type credView struct {
	id, title  string
	status     types.StatusType
	detail     string     // the context word between the status and the verb
	lastActive *time.Time // only for access keys that were used
}

// grants makes one grant per credential the user holds. In disable mode
// an inactive one is already what revoking would make it, so it is left out.
func (k credential[T]) grants(acct connectors.Account, inv *inventory) []connectors.Grant {
	var gs []connectors.Grant
	for _, item := range k.held(inv) {
		v := k.view(item)
		if k.c.mode == ModeDisable && v.status != types.StatusTypeActive {
			continue
		}
		g := k.c.newGrant(acct, k.kind, v.id, v.title, strings.ToLower(string(v.status)), v.detail, verb(k.c.mode))
		g.LastActive = v.lastActive
		gs = append(gs, g)
	}
	return gs
}

// statuses lists the user's credentials of this kind, status by id.
func (k credential[T]) statuses(ctx context.Context, user string) (map[string]types.StatusType, error) {
	items, err := k.list(ctx, user)
	m := map[string]types.StatusType{}
	for _, item := range items {
		v := k.view(item)
		m[v.id] = v.status
	}
	return m, err
}

// revoke deletes (delete mode) or deactivates (disable mode) one
// credential. Deactivating looks first, so that one already inactive, or
// gone, or whose user is gone, is reported as already gone.
func (k credential[T]) revoke(ctx context.Context, user, id, mode string) (connectors.Outcome, error) {
	if mode == ModeDelete {
		return outcome("delete "+k.noun, k.remove(ctx, user, id))
	}
	statuses, err := k.statuses(ctx, user)
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
	return outcome("deactivate "+k.noun, k.deactivate(ctx, user, id))
}

// errOf keeps the error of an SDK call whose output says nothing we need.
func errOf[O any](_ O, err error) error { return err }
