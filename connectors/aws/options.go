package aws

import (
	"context"
	"net/http"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
)

// Options carry what New needs besides the configuration section. Zero
// fields take the defaults noted.
type Options struct {
	// AWSConfig is the base SDK configuration (credentials, region,
	// endpoint). When nil, LoadConfig is called.
	AWSConfig *awssdk.Config
	// LoadConfig loads the base configuration; config.LoadDefaultConfig
	// (the SDK's chain, AWS_ENDPOINT_URL_IAM and AWS_ENDPOINT_URL_STS
	// included) when nil.
	LoadConfig func(ctx context.Context) (awssdk.Config, error)
	// HTTPClient, when set, replaces the SDK's HTTP client.
	HTTPClient *http.Client

	// Secret, when set, is told every secret minted at run time (the
	// secret access key and session token of each assumed-role session),
	// so that the log redactor can hide it.
	Secret func(string)
	// Timeout bounds every discovery, scan, revocation and check whose
	// context has no earlier deadline (default 2 min).
	Timeout time.Duration

	Logger   zerolog.Logger
	Observer connectors.Observer
	// Clock tells the time for the email cache; time.Now when nil.
	Clock func() time.Time

	// RequestsPerSecond and Burst bound the calls to IAM per account
	// (default 10/s, burst 10); MaxConcurrency bounds the calls in
	// flight per account (default 10).
	RequestsPerSecond float64
	Burst             int
	MaxConcurrency    int

	// MaxAttempts and MaxBackoff configure the SDK retryer, more patient
	// than the SDK's default of 3 attempts (default 8 attempts, 20 s).
	MaxAttempts int
	MaxBackoff  time.Duration

	// ReportCalls caps the IAM calls one Dormant makes (default 5);
	// ReportPoll is the first wait for a credential report being generated,
	// tripled each time up to a minute (default 2 s).
	ReportCalls int
	ReportPoll  time.Duration

	// EmailCacheTTL is how long FindByEmail reuses its index of user
	// emails (default 5 min).
	EmailCacheTTL time.Duration
}

func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	if o.RequestsPerSecond <= 0 {
		o.RequestsPerSecond = 10
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
	if o.ReportCalls <= 0 {
		o.ReportCalls = 5
	}
	if o.ReportPoll <= 0 {
		o.ReportPoll = 2 * time.Second
	}
	if o.EmailCacheTTL <= 0 {
		o.EmailCacheTTL = 5 * time.Minute
	}
	return o
}
