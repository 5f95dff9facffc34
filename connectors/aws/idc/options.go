package idc

import (
	"context"
	"fmt"
	"net/http"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// Options carry what New needs besides the configuration section. Zero
// fields take the defaults noted.
type Options struct {
	// AWSConfig is the base SDK configuration (credentials, endpoints;
	// the region comes from aws.identity_center.region). When nil, the
	// SDK's default chain is loaded, AWS_ENDPOINT_URL_IDENTITYSTORE and
	// AWS_ENDPOINT_URL_SSO_ADMIN included.
	AWSConfig  *awssdk.Config
	HTTPClient *http.Client
	Logger     zerolog.Logger
	Observer   connectors.Observer

	// RequestsPerSecond and Burst bound the calls to each of Identity
	// Store and SSO Admin (default 20/s, burst 20); MaxConcurrency bounds
	// the calls in flight to each (default 10).
	RequestsPerSecond float64
	Burst             int
	MaxConcurrency    int
	// MaxAttempts and MaxBackoff configure the SDK retryer (default 8
	// attempts, 20 s).
	MaxAttempts int
	MaxBackoff  time.Duration
	// Timeout bounds every discovery, revocation and check whose context
	// has no earlier deadline (default 2 min).
	Timeout time.Duration
	// PollInterval is the first wait between two reads of an asynchronous
	// request's status, doubled each time up to 5 s (default 1 s).
	PollInterval time.Duration
	// NameCacheTTL is how long permission set names are reused (default 10 min).
	NameCacheTTL time.Duration
	// Clock tells the time for the name cache; time.Now when nil.
	Clock func() time.Time
}

func (o Options) withDefaults() Options {
	if o.RequestsPerSecond <= 0 {
		o.RequestsPerSecond = 20
	}
	if o.Burst <= 0 {
		o.Burst = max(1, int(o.RequestsPerSecond))
	}
	if o.MaxConcurrency <= 0 {
		o.MaxConcurrency = 10
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 20 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.NameCacheTTL <= 0 {
		o.NameCacheTTL = 10 * time.Minute
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return o
}

func (o Options) gate() *awsapi.Gate {
	return awsapi.NewGate(connectors.IdentityCenter, o.RequestsPerSecond, o.Burst, o.MaxConcurrency, o.Observer)
}

func (o Options) baseConfig(ctx context.Context) (awssdk.Config, error) {
	if o.AWSConfig != nil {
		return o.AWSConfig.Copy(), nil
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return cfg, fmt.Errorf("load default config: %w", err)
	}
	return cfg, nil
}
