package storage

import (
	"context"
	"time"
)

// KeepLease renews a lease every interval, each time with renew in a write
// transaction, until stop is called or ctx ends. When renew reports the
// lease lost (another owner took it), lost is called and renewing stops:
// the work the lease covered must stop too. A failed write is tried again
// at the next interval. stop waits for the renewing to end.
func (db *DB) KeepLease(ctx context.Context, every time.Duration, renew func(ctx context.Context, tx *Tx) (bool, error), lost func()) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { // owned: stop waits for it
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			var held bool
			err := db.Write(ctx, func(tx *Tx) error {
				var err error
				held, err = renew(ctx, tx)
				return err
			})
			if err == nil && !held {
				if lost != nil {
					lost()
				}
				return
			}
		}
	}()
	return func() { cancel(); <-done }
}
