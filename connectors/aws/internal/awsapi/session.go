package awsapi

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"

	"github.com/offboard/offboard/connectors"
)

// maxCaseSessions bounds the cached role sessions; the oldest goes first.
const maxCaseSessions = 32

// RoleCredentials assumes a role with a session per offboarding case: the
// session name and the source identity carry the case ID from the call's
// context (connectors.CaseOf), so that CloudTrail shows which offboarding
// did what. Calls without a case share one session named "offboard".
type RoleCredentials struct {
	client     stscreds.AssumeRoleAPIClient
	role       string
	externalID string
	secret     func(string)

	mu     sync.Mutex
	caches map[string]*awssdk.CredentialsCache
	order  []string
	// refused is set once the role's trust policy refused
	// sts:SetSourceIdentity; sessions are then made without one.
	refused atomic.Bool
}

// SourceIdentityRefused says whether the role's trust policy refused a
// source identity, so that doctor can say so.
func (r *RoleCredentials) SourceIdentityRefused() bool { return r.refused.Load() }

// fallback assumes the role with a source identity, and without one once
// the trust policy refused it: a trust policy written before offboard set
// source identities must not stop every revocation in that account.
type fallback struct {
	with, without awssdk.CredentialsProvider
	refused       *atomic.Bool
}

func (f fallback) Retrieve(ctx context.Context) (awssdk.Credentials, error) {
	if f.refused.Load() {
		return f.without.Retrieve(ctx)
	}
	c, err := f.with.Retrieve(ctx)
	if Code(err) != "AccessDenied" {
		return c, err
	}
	// Denied: the source identity, or the role altogether. Only a
	// success without one says it was the source identity.
	c, err = f.without.Retrieve(ctx)
	if err == nil {
		f.refused.Store(true)
	}
	return c, err
}

// NewRoleCredentials returns credentials for role; secret, when set, is
// told every secret access key and session token minted, for redaction.
func NewRoleCredentials(client stscreds.AssumeRoleAPIClient, role, externalID string, secret func(string)) *RoleCredentials {
	return &RoleCredentials{client: client, role: role, externalID: externalID, secret: secret,
		caches: map[string]*awssdk.CredentialsCache{}}
}

// Retrieve returns the credentials of the case in ctx's session.
func (r *RoleCredentials) Retrieve(ctx context.Context) (awssdk.Credentials, error) {
	return r.cacheFor(connectors.CaseOf(ctx)).Retrieve(ctx)
}

func (r *RoleCredentials) cacheFor(caseID string) *awssdk.CredentialsCache {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.caches[caseID]; ok {
		return c
	}
	if len(r.order) >= maxCaseSessions {
		delete(r.caches, r.order[0])
		r.order = r.order[1:]
	}
	name := SessionName(caseID)
	provider := func(source bool) awssdk.CredentialsProvider {
		return stscreds.NewAssumeRoleProvider(r.client, r.role, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = name
			if source {
				o.SourceIdentity = awssdk.String(name)
			}
			if r.externalID != "" {
				o.ExternalID = awssdk.String(r.externalID)
			}
		})
	}
	c := awssdk.NewCredentialsCache(reporting{fallback{provider(true), provider(false), &r.refused}, r.secret})
	r.caches[caseID] = c
	r.order = append(r.order, caseID)
	return c
}

// reporting tells secret about every credential its provider mints.
type reporting struct {
	awssdk.CredentialsProvider
	secret func(string)
}

func (p reporting) Retrieve(ctx context.Context) (awssdk.Credentials, error) {
	c, err := p.CredentialsProvider.Retrieve(ctx)
	if err == nil && p.secret != nil {
		p.secret(c.SecretAccessKey)
		if c.SessionToken != "" {
			p.secret(c.SessionToken)
		}
	}
	return c, err
}

// SessionName is "offboard-CASE" (or "offboard"), cut to the characters
// and the 64-character length STS allows in a session name and a source
// identity.
func SessionName(caseID string) string {
	if caseID == "" {
		return "offboard"
	}
	var b strings.Builder
	b.WriteString("offboard-")
	for _, r := range caseID {
		if r < 128 && (r == '_' || r == '+' || r == '=' || r == ',' || r == '.' || r == '@' || r == '-' ||
			'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	s := b.String()
	if len(s) > 64 {
		s = s[:64]
	}
	return s
}
