package fakegithub

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// installationTokenTTL is how long GitHub's installation tokens live.
const installationTokenTTL = time.Hour

// authState holds the credentials the fake accepts.
type authState struct {
	mu       sync.Mutex
	tokens   map[string]*tokenInfo
	apps     map[int64]*app
	installs map[int64]*installation
	minted   int // installation tokens issued
}

type tokenInfo struct {
	login     string
	scopes    []string
	inst      *installation
	expiresAt time.Time // zero: never
}

type app struct {
	id   int64
	slug string
	key  *rsa.PublicKey
}

type installation struct {
	id    int64
	app   *app
	org   string
	perms map[string]string
}

// principal is who a call authenticated as: a user's token, a GitHub App
// installation token, or the App itself (a JWT).
type principal struct {
	login  string
	scopes []string
	inst   *installation
	app    *app
}

func (a *authState) init() {
	a.tokens = map[string]*tokenInfo{}
	a.apps = map[int64]*app{}
	a.installs = map[int64]*installation{}
}

func (p *principal) key() string {
	switch {
	case p == nil:
		return ""
	case p.app != nil:
		return fmt.Sprintf("app:%d", p.app.id)
	case p.inst != nil:
		return fmt.Sprintf("installation:%d", p.inst.id)
	}
	return "user:" + strings.ToLower(p.login)
}

func (p *principal) stampHeaders(h http.Header) {
	if p.inst == nil && p.app == nil {
		h.Set("X-OAuth-Scopes", strings.Join(p.scopes, ", "))
	}
}

func (p *principal) hasScope(want ...string) bool {
	for _, s := range p.scopes {
		for _, w := range want {
			if s == w {
				return true
			}
		}
	}
	return false
}

// AddToken registers a classic personal access token of login with scopes
// (default admin:org, repo, read:user). The user is created when unknown.
func (s *Server) AddToken(token, login string, scopes ...string) {
	if len(scopes) == 0 {
		scopes = []string{"admin:org", "repo", "read:user"}
	}
	s.mu.Lock()
	s.userLocked(login, time.Time{})
	s.mu.Unlock()
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	s.auth.tokens[token] = &tokenInfo{login: login, scopes: scopes}
}

// App is a registered GitHub App installed on one org, with what the
// connector needs to authenticate as it.
type App struct {
	ID             int64
	InstallationID int64
	PrivateKeyPEM  []byte
}

// AddApp registers a GitHub App with a fresh RSA key, installs it on org
// with permissions (e.g. {"members": "write",
// "organization_personal_access_tokens": "write"}), and returns its IDs
// and private key.
func (s *Server) AddApp(org string, permissions map[string]string) (App, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return App{}, fmt.Errorf("generate app key: %w", err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	s.mu.Lock()
	appID, instID := s.id(), s.id()
	s.mu.Unlock()
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	a := &app{id: appID, slug: fmt.Sprintf("offboard-%d", appID), key: &key.PublicKey}
	s.auth.apps[appID] = a
	s.auth.installs[instID] = &installation{id: instID, app: a, org: org, perms: permissions}
	return App{ID: appID, InstallationID: instID, PrivateKeyPEM: pemKey}, nil
}

// InstallationTokensIssued counts the installation tokens minted so far.
func (s *Server) InstallationTokensIssued() int {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	return s.auth.minted
}

func (s *Server) principalFor(token string) *principal {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	t := s.auth.tokens[token]
	if t == nil || (!t.expiresAt.IsZero() && !s.now().Before(t.expiresAt)) {
		return nil
	}
	return &principal{login: t.login, scopes: t.scopes, inst: t.inst}
}

// authenticate finds the caller. App routes take only a JWT; every other
// route takes a user or installation token. A non-zero status refuses.
func (s *Server) authenticate(r *http.Request, route string) (*principal, int, string) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		token, ok = strings.CutPrefix(h, "token ")
	}
	if !ok || token == "" {
		return nil, http.StatusUnauthorized, "Requires authentication"
	}
	if route == RouteApp || route == RouteInstallation || route == RouteInstallationToken {
		a, msg := s.verifyJWT(token)
		if a == nil {
			return nil, http.StatusUnauthorized, msg
		}
		return &principal{app: a}, 0, ""
	}
	p := s.principalFor(token)
	if p == nil {
		return nil, http.StatusUnauthorized, "Bad credentials"
	}
	return p, 0, ""
}

// verifyJWT checks what GitHub checks of an App's JWT: RS256 signed by
// the App's registered key, iss the App ID, iat not in the future, exp in
// the future and at most ten minutes after iat.
func (s *Server) verifyJWT(raw string) (*app, string) {
	const undecodable = "A JSON web token could not be decoded"
	var found *app
	tok, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) {
		iss, _ := t.Claims.GetIssuer()
		s.auth.mu.Lock()
		defer s.auth.mu.Unlock()
		for _, a := range s.auth.apps {
			if fmt.Sprint(a.id) == iss {
				found = a
				return a.key, nil
			}
		}
		return nil, fmt.Errorf("unknown issuer")
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(s.now),
		jwt.WithIssuedAt(), jwt.WithExpirationRequired(), jwt.WithLeeway(time.Minute))
	if err != nil || !tok.Valid || found == nil {
		if found != nil && errors.Is(err, jwt.ErrTokenExpired) {
			return nil, "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
		}
		return nil, undecodable
	}
	iat, _ := tok.Claims.GetIssuedAt()
	exp, _ := tok.Claims.GetExpirationTime()
	if iat == nil || exp.Sub(iat.Time) > 10*time.Minute+time.Minute {
		return nil, "'Expiration time' claim ('exp') is too far in the future"
	}
	return found, ""
}

// mintInstallationToken issues a fresh token for inst, valid for an hour
// of the server's clock.
func (s *Server) mintInstallationToken(inst *installation) (string, time.Time) {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	token := "ghs_" + hex.EncodeToString(b)
	exp := s.now().Add(installationTokenTTL).Truncate(time.Second)
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	s.auth.tokens[token] = &tokenInfo{inst: inst, expiresAt: exp}
	s.auth.minted++
	return token, exp
}
