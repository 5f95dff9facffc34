package idc

import (
	"context"
	"fmt"
	"time"

	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/offboard/offboard/connectors"
)

// follow reads an asynchronous request's status until it leaves
// IN_PROGRESS, waiting Options.PollInterval first and doubling up to 5 s,
// within ctx's deadline (the job's lease). FAILED is a retryable error
// that carries the service's reason; a request still in progress when the
// deadline comes is retryable too, and the retry finds out what happened.
func (c *Connector) follow(ctx context.Context, op string, status func(context.Context) (ssotypes.StatusValues, string, error)) error {
	wait := c.opts.PollInterval
	for {
		st, reason, err := status(ctx)
		if err != nil {
			return wrap(op, err)
		}
		switch st {
		case ssotypes.StatusValuesSucceeded:
			return nil
		case ssotypes.StatusValuesFailed:
			return &connectors.Error{System: connectors.IdentityCenter, Op: op, Kind: connectors.KindRetryable,
				Err: fmt.Errorf("request FAILED: %s", reason)}
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return &connectors.Error{System: connectors.IdentityCenter, Op: op, Kind: connectors.KindRetryable,
				Err: fmt.Errorf("still IN_PROGRESS when the deadline came: %w", ctx.Err())}
		}
		wait = min(2*wait, 5*time.Second)
	}
}
