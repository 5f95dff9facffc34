// Package idc is the connector for AWS IAM Identity Center (formerly AWS
// SSO): it finds a person's Identity Center user, the groups they are in
// and the account assignments they hold directly or through those groups,
// and revokes them after approval: group memberships removed, direct
// assignments deleted (followed to SUCCEEDED or FAILED), active
// permission-set sessions denied. What the API cannot do (disable the
// user; deprovision in an external identity provider) becomes a manual row.
//
// It knows nothing of Slack, storage or the offboarding lifecycle.
package idc

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// Connector works in one Identity Center instance.
type Connector struct {
	instanceARN string
	storeID     string
	region      string
	externalIdP bool
	// selfUser is the Identity Center user whose permission-set session
	// the bot itself runs with, "" when it runs otherwise.
	selfUser string

	store *identitystore.Client
	admin *ssoadmin.Client
	opts  Options
	log   zerolog.Logger

	org *organizations.Client

	mu           sync.Mutex
	permSets     map[string]permSetName // ARN → name, cached for Options.NameCacheTTL
	accounts     map[string]string      // account ID → name, cached likewise
	accountsRead time.Time
}

type permSetName struct {
	name string
	read time.Time
}

// New builds the connector. Without an instance ARN in cfg it finds the
// instance with ListInstances; it also asks STS who the bot is, so that it
// never revokes the session it runs with.
func New(ctx context.Context, cfg aws.IdentityCenterConfig, opts Options) (*Connector, error) {
	if err := (aws.Config{IdentityCenter: &cfg}).Validate(); err != nil {
		return nil, &connectors.Error{System: connectors.IdentityCenter, Op: "validate config", Kind: connectors.KindConfig, Err: err}
	}
	opts = opts.withDefaults()
	ctx, cancel := awsapi.WithDeadline(ctx, opts.Timeout)
	defer cancel()
	base, err := opts.baseConfig(ctx)
	if err != nil {
		return nil, &connectors.Error{System: connectors.IdentityCenter, Op: "load aws config", Kind: connectors.KindConfig, Err: err}
	}
	base.Region = cfg.Region
	base.Retryer = awsapi.Retryer(opts.MaxAttempts, opts.MaxBackoff)
	c := &Connector{
		instanceARN: cfg.InstanceARN, storeID: cfg.IdentityStoreID, region: cfg.Region, externalIdP: cfg.ExternalIdP,
		opts: opts, permSets: map[string]permSetName{},
		log: opts.Logger.With().Str("connector", "idc").Logger(),
	}
	c.store = identitystore.NewFromConfig(base, func(o *identitystore.Options) {
		if opts.HTTPClient != nil {
			o.HTTPClient = opts.HTTPClient
		}
		o.APIOptions = append(o.APIOptions, opts.gate().Install)
	})
	c.admin = ssoadmin.NewFromConfig(base, func(o *ssoadmin.Options) {
		if opts.HTTPClient != nil {
			o.HTTPClient = opts.HTTPClient
		}
		o.APIOptions = append(o.APIOptions, opts.gate().Install)
	})
	c.org = organizations.NewFromConfig(base, func(o *organizations.Options) {
		if opts.HTTPClient != nil {
			o.HTTPClient = opts.HTTPClient
		}
		o.APIOptions = append(o.APIOptions, awsapi.ObserveOnly(connectors.IdentityCenter, opts.Observer).Install)
	})
	if c.instanceARN == "" {
		if err := c.findInstance(ctx); err != nil {
			return nil, err
		}
	}
	id, err := sts.NewFromConfig(base, func(o *sts.Options) {
		if opts.HTTPClient != nil {
			o.HTTPClient = opts.HTTPClient
		}
		o.APIOptions = append(o.APIOptions, awsapi.ObserveOnly(connectors.IdentityCenter, opts.Observer).Install)
	}).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, wrap("get caller identity", err)
	}
	c.selfUser = ssoSessionUser(awssdk.ToString(id.Arn))
	return c, nil
}

// findInstance takes the one instance ListInstances shows.
func (c *Connector) findInstance(ctx context.Context) error {
	out, err := c.admin.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	if err != nil {
		return wrap("list instances", err)
	}
	switch len(out.Instances) {
	case 0:
		return &connectors.Error{System: connectors.IdentityCenter, Op: "list instances", Kind: connectors.KindConfig,
			Err: fmt.Errorf("no IAM Identity Center instance is visible to these credentials in %s (use the management or delegated administrator account)", c.region)}
	case 1:
	default:
		return &connectors.Error{System: connectors.IdentityCenter, Op: "list instances", Kind: connectors.KindConfig,
			Err: errors.New("several Identity Center instances are visible; set aws.identity_center.instance_arn and identity_store_id")}
	}
	c.instanceARN = awssdk.ToString(out.Instances[0].InstanceArn)
	c.storeID = awssdk.ToString(out.Instances[0].IdentityStoreId)
	return nil
}

// ssoSessionUser returns the Identity Center user name of a permission-set
// session ARN (…:assumed-role/AWSReservedSSO_<set>_<id>/<user>), "" for
// any other caller.
func ssoSessionUser(arn string) string {
	_, rest, ok := strings.Cut(arn, ":assumed-role/AWSReservedSSO_")
	if !ok {
		return ""
	}
	_, user, _ := strings.Cut(rest, "/")
	return user
}

// System is Identity Center.
func (c *Connector) System() connectors.System { return connectors.IdentityCenter }

// Scope is the identity store ID (d-1234567890).
func (c *Connector) Scope() string { return c.storeID }

// InstanceARN is the Identity Center instance the connector works in.
func (c *Connector) InstanceARN() string { return c.instanceARN }

// ScanNotes says what a dormancy scan cannot see: no Identity Center API
// gives a user's last sign-in (only CloudTrail does), so its users are not
// scanned, rather than guessed at.
func (c *Connector) ScanNotes() []string {
	return []string{"AWS Identity Center: no API gives a user's last sign-in without CloudTrail; its users are not scanned for dormancy"}
}

func wrap(op string, err error) error { return awsapi.Wrap(connectors.IdentityCenter, op, err) }
