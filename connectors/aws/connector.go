// Package aws is the connector for AWS IAM: it finds what an IAM user can
// still use (console password, access keys, SSH keys, signing certificates,
// service credentials, MFA devices, groups and policies), revokes it in the
// configured mode, reports dormant users from the credential report and
// checks its own permissions. One *Connector works in one AWS account.
//
// It knows nothing of Slack, storage or the offboarding lifecycle.
package aws

import (
	"context"
	"fmt"
	"strings"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// Connector works in one AWS account.
type Connector struct {
	name      string
	accountID string
	partition string
	mode      string
	roleARN   string
	// principal is the IAM ARN whose policies decide what this connector
	// may do (the role, or the user of the base credentials).
	principal string
	// caller is the ARN of the base credentials (GetCallerIdentity): the
	// bot itself, never to be revoked.
	caller string

	iam     *iam.Client
	org     *organizations.Client // set on the credentials' own account with aws.organization
	baseSTS *sts.Client           // signs with the base credentials
	roleSTS *sts.Client           // signs with the assumed role; nil without a role
	// roleCreds are the assumed role's sessions, one per case; nil without a role.
	roleCreds *awsapi.RoleCredentials

	opts   Options
	log    zerolog.Logger
	emails emailCache
}

// New builds one Connector per account: the configured ones, and with
// aws.organization every active account of the organisation. Accounts
// reached through a role are entered lazily, on the first call; the
// credentials' own identity is found with GetCallerIdentity now.
func New(ctx context.Context, cfg Config, opts Options) ([]*Connector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, &connectors.Error{System: connectors.AWS, Op: "validate config", Kind: connectors.KindConfig, Err: err}
	}
	opts = opts.withDefaults()
	ctx, cancel := awsapi.WithDeadline(ctx, opts.Timeout)
	defer cancel()
	base, err := baseConfig(ctx, opts)
	if err != nil {
		return nil, &connectors.Error{System: connectors.AWS, Op: "load aws config", Kind: connectors.KindConfig, Err: err}
	}
	baseSTS := newSTS(base, opts)
	id, err := baseSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, wrap("get caller identity", err)
	}
	self := awssdk.ToString(id.Account)
	caller := awssdk.ToString(id.Arn)
	accounts := cfg.Accounts
	var org *organizations.Client
	if cfg.Organization != nil {
		org = newOrganizations(base, opts)
		if accounts, err = orgAccounts(ctx, org, cfg, self); err != nil {
			return nil, err
		}
	}
	if len(accounts) == 0 {
		accounts = []AccountConfig{{}}
	}
	out := make([]*Connector, 0, len(accounts))
	for _, a := range accounts {
		c := &Connector{mode: cfg.mode(), roleARN: a.RoleARN, baseSTS: baseSTS, opts: opts, caller: caller}
		acctCfg := base.Copy()
		if a.RoleARN != "" {
			c.accountID, c.partition = roleAccount(a.RoleARN)
			c.principal = a.RoleARN
			c.roleCreds = awsapi.NewRoleCredentials(baseSTS, a.RoleARN, a.ExternalID, opts.Secret)
			acctCfg.Credentials = c.roleCreds
			c.roleSTS = newSTS(acctCfg, opts)
		} else {
			c.accountID = self
			c.principal, c.partition = iamPrincipal(caller)
		}
		c.name = a.Name
		if c.name == "" {
			c.name = c.accountID
		}
		c.log = opts.Logger.With().Str("connector", "aws").Str("aws_account", c.accountID).Logger()
		c.iam = newIAM(acctCfg, opts, newCallGate(opts))
		out = append(out, c)
	}
	// The organisation is checked once, by its management account's connector.
	for _, c := range out {
		if c.roleARN == "" {
			c.org = org
		}
	}
	return out, nil
}

func baseConfig(ctx context.Context, o Options) (awssdk.Config, error) {
	var cfg awssdk.Config
	switch {
	case o.AWSConfig != nil:
		cfg = o.AWSConfig.Copy()
	case o.LoadConfig != nil:
		c, err := o.LoadConfig(ctx)
		if err != nil {
			return cfg, fmt.Errorf("load config: %w", err)
		}
		cfg = c
	default:
		c, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return cfg, fmt.Errorf("load default config: %w", err)
		}
		cfg = c
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // IAM is global; STS needs some region to sign for
	}
	return cfg, nil
}

// iamPrincipal turns a caller ARN into the IAM ARN whose policies apply
// and its partition: arn:aws:sts::1:assumed-role/R/s → arn:aws:iam::1:role/R.
// A role with a path loses it here, which only weakens Check.
func iamPrincipal(callerARN string) (principal, partition string) {
	parts := strings.SplitN(callerARN, ":", 6)
	if len(parts) != 6 {
		return callerARN, "aws"
	}
	partition = parts[1]
	if role, ok := strings.CutPrefix(parts[5], "assumed-role/"); ok {
		name, _, _ := strings.Cut(role, "/")
		return "arn:" + partition + ":iam::" + parts[4] + ":role/" + name, partition
	}
	return callerARN, partition
}

// System is AWS.
func (c *Connector) System() connectors.System { return connectors.AWS }

// Scope is the 12-digit account ID.
func (c *Connector) Scope() string { return c.accountID }

// Name is the configured name of the account, else its ID.
func (c *Connector) Name() string { return c.name }

// Mode is ModeDisable or ModeDelete.
func (c *Connector) Mode() string { return c.mode }

func (c *Connector) denyAllARN() string {
	return "arn:" + c.partition + ":iam::aws:policy/AWSDenyAll"
}

func (c *Connector) now() time.Time { return c.opts.Clock() }
