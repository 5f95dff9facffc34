package github

import (
	"context"
	"crypto/rsa"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	gh "github.com/google/go-github/v60/github"
)

// refreshBefore is how long before expiry an installation token is
// replaced, so that a call never starts with a token about to lapse.
const refreshBefore = 5 * time.Minute

// appTokens mints and caches a GitHub App's installation token. The App
// proves itself with a short RS256 JWT; the token lasts an hour.
type appTokens struct {
	appID, installationID int64
	key                   *rsa.PrivateKey
	clock                 func() time.Time
	// secret is told each minted token, for redaction; may be nil.
	secret func(string)
	// client talks to the App endpoints with the JWT.
	client *gh.Client

	mu      sync.Mutex
	token   string
	expires time.Time
}

func newAppTokens(creds Credentials, base http.RoundTripper, o Options) (*appTokens, error) {
	key, err := jwt.ParseRSAPrivateKeyFromPEM(creds.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("parse github app private key: %w", err)
	}
	a := &appTokens{appID: creds.AppID, installationID: creds.InstallationID, key: key, clock: o.Clock, secret: o.Secret}
	a.client, err = newRESTClient(&bearer{next: base, token: a.jwt}, o.APIURL)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// jwt signs a JWT as GitHub asks: issued a minute in the past against
// clock drift, expiring within ten minutes, issued by the App ID.
func (a *appTokens) jwt(context.Context) (string, error) {
	now := a.clock()
	claims := jwt.RegisteredClaims{
		Issuer:    strconv.FormatInt(a.appID, 10),
		IssuedAt:  jwt.NewNumericDate(now.Add(-time.Minute)),
		ExpiresAt: jwt.NewNumericDate(now.Add(9 * time.Minute)),
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(a.key)
	if err != nil {
		return "", fmt.Errorf("sign github app jwt: %w", err)
	}
	return s, nil
}

// Token returns a valid installation token, minting one when there is
// none or the cached one is near expiry. Concurrent callers wait for one
// exchange rather than each making their own.
func (a *appTokens) Token(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token != "" && a.clock().Before(a.expires.Add(-refreshBefore)) {
		return a.token, nil
	}
	ctx = withOp(ctx, "create installation token")
	tok, _, err := a.client.Apps.CreateInstallationToken(ctx, a.installationID, nil)
	if err != nil {
		return "", classify("create installation token", err)
	}
	a.token, a.expires = tok.GetToken(), tok.GetExpiresAt().Time
	if a.secret != nil {
		a.secret(a.token) // before anything can log or wrap it
	}
	return a.token, nil
}

// Forget drops token if it is the cached one: GitHub refused it (revoked
// or expired early), so the next call mints a fresh one.
func (a *appTokens) Forget(token string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token == token {
		a.token = ""
	}
}

// current is the cached token, for telling whether a refusal was of it.
func (a *appTokens) current() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.token
}
