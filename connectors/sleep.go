package connectors

import (
	"context"
	"time"
)

// Sleep waits d, or until ctx ends and returns its error: the wait between
// a connector's retries and polls, which a stop must cut short.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
