package awsapi

import (
	"context"
	"time"

	"github.com/aws/smithy-go/middleware"
	"golang.org/x/time/rate"

	"github.com/offboard/offboard/connectors"
)

// Gate paces the calls to one API and tells the observer about each. It
// sits at the end of the Finalize step, inside the SDK's retry loop, so
// every attempt waits its turn and counts as a call.
type Gate struct {
	system  connectors.System
	limiter *rate.Limiter
	slots   chan struct{}
	observe connectors.Observer
}

// NewGate paces to perSecond calls (burst) with at most concurrency in flight.
func NewGate(system connectors.System, perSecond float64, burst, concurrency int, o connectors.Observer) *Gate {
	return &Gate{
		system:  system,
		limiter: rate.NewLimiter(rate.Limit(perSecond), burst),
		slots:   make(chan struct{}, concurrency),
		observe: o,
	}
}

// ObserveOnly is a gate that only observes (STS, whose calls are few).
func ObserveOnly(system connectors.System, o connectors.Observer) *Gate {
	return &Gate{system: system, observe: o}
}

// ID names the middleware in the SDK's stack.
func (*Gate) ID() string { return "offboardCallGate" }

// HandleFinalize waits for the rate limiter and a free slot, then runs and
// observes one attempt.
func (g *Gate) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
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
	g.observe.Observe(g.system, middleware.GetOperationName(ctx), time.Since(start), err)
	return out, md, err
}

// Install adds the gate to an SDK client's stack (an APIOptions entry).
func (g *Gate) Install(stack *middleware.Stack) error {
	return stack.Finalize.Add(g, middleware.After)
}
