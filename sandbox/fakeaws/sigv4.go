package fakeaws

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// msgBadSignature is what AWS answers when a signature does not match.
const msgBadSignature = "The request signature we calculated does not match the signature you provided. " +
	"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// SetSecret makes the server check the SigV4 signature of every request
// signed with accessKeyID against secret: a request signed with another
// secret is refused the way AWS refuses it (SignatureDoesNotMatch from the
// query APIs, InvalidSignatureException from the JSON ones).
func (s *Server) SetSecret(accessKeyID, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets[accessKeyID] = secret
}

// signatureOK recomputes the request's signature with the secret the
// server knows for akid, over exactly the headers the client signed. A key
// whose secret is unknown is not checked.
func (s *Server) signatureOK(r *http.Request, body []byte, akid string) bool {
	s.mu.Lock()
	secret, known := s.secrets[akid]
	s.mu.Unlock()
	if !known {
		return true
	}
	auth := r.Header.Get("Authorization")
	fields := authFields(auth)
	scope := strings.Split(fields["Credential"], "/") // AKID/date/region/service/aws4_request
	if len(scope) != 5 || fields["Signature"] == "" {
		return false
	}
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return false
	}
	req, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), nil)
	if err != nil {
		return false
	}
	for _, h := range strings.Split(fields["SignedHeaders"], ";") {
		switch h {
		case "host":
			req.Host = r.Host
		case "content-length":
			req.ContentLength = int64(len(body))
		default:
			req.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	sum := sha256.Sum256(body)
	creds := awssdk.Credentials{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: r.Header.Get("X-Amz-Security-Token")}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), scope[3], scope[2], at); err != nil {
		return false
	}
	want := authFields(req.Header.Get("Authorization"))["Signature"]
	return subtle.ConstantTimeCompare([]byte(want), []byte(fields["Signature"])) == 1
}

// authFields splits "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…".
func authFields(h string) map[string]string {
	out := map[string]string{}
	_, rest, _ := strings.Cut(h, " ")
	for _, part := range strings.Split(rest, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok {
			out[k] = v
		}
	}
	return out
}
