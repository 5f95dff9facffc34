package flows

import (
	"context"
	"fmt"
	"time"

	"github.com/offboard/offboard/storage"
)

// maxLease is how long a lease outlives its owner at most (Options.Lease
// may shorten it): it is renewed at a third of that while its work runs, so
// a process killed mid-work holds nothing for longer (docs/design.md,
// "Leases").
const maxLease = 30 * time.Second

// withLease runs fn while holding the named lease, renewing it until fn
// returns, then releases it. It reports false, without running fn, when
// another owner holds the lease. fn's context ends if a renewal finds the
// lease taken (the process stalled past its TTL).
func (s *Service) withLease(ctx context.Context, name string, fn func(ctx context.Context) error) (bool, error) {
	owner := fmt.Sprintf("%s-%p-%d", name, s, time.Now().UnixNano())
	var got bool
	if err := s.db.Write(ctx, func(tx *storage.Tx) error {
		var err error
		got, err = tx.Lease(ctx, name, owner, time.Now().Add(s.lease))
		return err
	}); err != nil || !got {
		return false, err
	}
	defer func() {
		if err := s.db.Write(context.WithoutCancel(ctx), func(tx *storage.Tx) error { return tx.ReleaseLease(ctx, name, owner) }); err != nil {
			s.log.Warn().Err(err).Str("lease", name).Msg("release lease; it expires on its own")
		}
	}()
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := s.db.KeepLease(wctx, s.lease/3, func(ctx context.Context, tx *storage.Tx) (bool, error) {
		return tx.Lease(ctx, name, owner, time.Now().Add(s.lease))
	}, func() {
		s.log.Warn().Str("lease", name).Msg("lease taken over; stopping the work it covered")
		cancel()
	})
	err := fn(wctx)
	stop()
	return true, err
}
