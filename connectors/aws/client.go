package aws

import (
	"context"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/time/rate"

	"github.com/offboard/offboard/connectors"
)

// callGate paces the calls to one account and tells the observer about
// each. It sits at the end of the Finalize step, inside the SDK's retry
// loop, so every attempt waits its turn and counts as a call.
type callGate struct {
	limiter *rate.Limiter
	slots   chan struct{}
	observe connectors.Observer
}

func newCallGate(o Options) *callGate {
	return &callGate{
		limiter: rate.NewLimiter(rate.Limit(o.RequestsPerSecond), o.Burst),
		slots:   make(chan struct{}, o.MaxConcurrency),
		observe: o.Observer,
	}
}

// observeOnly is a gate that only observes, for STS.
func observeOnly(o connectors.Observer) *callGate { return &callGate{observe: o} }

// ID names the middleware in the SDK's stack.
func (*callGate) ID() string { return "offboardCallGate" }

// HandleFinalize waits for the rate limiter and a free slot, then runs and
// observes one attempt.
func (g *callGate) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	if g.limiter != nil {
		if err := g.limiter.Wait(ctx); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
		select {
		case g.slots <- struct{}{}:
			defer func() { <-g.slots }()
		case <-ctx.Done():
			return middleware.FinalizeOutput{}, middleware.Metadata{}, ctx.Err()
		}
	}
	start := time.Now()
	out, md, err := next.HandleFinalize(ctx, in)
	g.observe.Observe(connectors.AWS, middleware.GetOperationName(ctx), time.Since(start), err)
	return out, md, err
}

func (g *callGate) install(stack *middleware.Stack) error {
	return stack.Finalize.Add(g, middleware.After)
}

// retryer is the SDK's standard retryer with more attempts: IAM throttles
// account-wide, and a revocation is worth waiting for. It also retries
// ConcurrentModification, which IAM answers when two changes to one user
// (the parallel removals of a deletion) overlap.
func retryer(o Options) func() awssdk.Retryer {
	return func() awssdk.Retryer {
		return retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = o.MaxAttempts
			so.MaxBackoff = o.MaxBackoff
			so.Retryables = append(so.Retryables, retry.RetryableErrorCode{
				Codes: map[string]struct{}{"ConcurrentModification": {}}})
		})
	}
}

func newIAM(cfg awssdk.Config, o Options, gate *callGate) *iam.Client {
	cfg.Retryer = retryer(o)
	return iam.NewFromConfig(cfg, func(io *iam.Options) {
		if o.HTTPClient != nil {
			io.HTTPClient = o.HTTPClient
		}
		io.APIOptions = append(io.APIOptions, gate.install)
	})
}

func newSTS(cfg awssdk.Config, o Options) *sts.Client {
	cfg.Retryer = retryer(o)
	return sts.NewFromConfig(cfg, func(so *sts.Options) {
		if o.HTTPClient != nil {
			so.HTTPClient = o.HTTPClient
		}
		so.APIOptions = append(so.APIOptions, observeOnly(o.Observer).install)
	})
}
