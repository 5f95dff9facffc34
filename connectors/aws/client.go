package aws

import (
	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

func newCallGate(o Options) *awsapi.Gate {
	return awsapi.NewGate(connectors.AWS, o.RequestsPerSecond, o.Burst, o.MaxConcurrency, o.Observer)
}

func newIAM(cfg awssdk.Config, o Options, gate *awsapi.Gate) *iam.Client {
	cfg.Retryer = awsapi.Retryer(o.MaxAttempts, o.MaxBackoff)
	return iam.NewFromConfig(cfg, func(io *iam.Options) {
		if o.HTTPClient != nil {
			io.HTTPClient = o.HTTPClient
		}
		io.APIOptions = append(io.APIOptions, gate.Install)
	})
}

func newSTS(cfg awssdk.Config, o Options) *sts.Client {
	cfg.Retryer = awsapi.Retryer(o.MaxAttempts, o.MaxBackoff)
	return sts.NewFromConfig(cfg, func(so *sts.Options) {
		if o.HTTPClient != nil {
			so.HTTPClient = o.HTTPClient
		}
		so.APIOptions = append(so.APIOptions, awsapi.ObserveOnly(connectors.AWS, o.Observer).Install)
	})
}

func newOrganizations(cfg awssdk.Config, o Options) *organizations.Client {
	cfg.Retryer = awsapi.Retryer(o.MaxAttempts, o.MaxBackoff)
	return organizations.NewFromConfig(cfg, func(oo *organizations.Options) {
		if o.HTTPClient != nil {
			oo.HTTPClient = o.HTTPClient
		}
		oo.APIOptions = append(oo.APIOptions, awsapi.ObserveOnly(connectors.AWS, o.Observer).Install)
	})
}
