package awsapi

import (
	"context"
	"time"
)

// WithDeadline bounds ctx by d unless it already ends sooner, so that no
// discovery, scan or revocation waits on AWS forever whatever the caller
// forgot.
func WithDeadline(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= d {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}
