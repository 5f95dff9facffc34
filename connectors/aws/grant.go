package aws

import (
	"strings"
	"time"

	"github.com/offboard/offboard/connectors"
)

// The kinds of grant this connector finds; policy rules match on them.
const (
	KindConsolePassword   = "console_password"
	KindAccessKey         = "access_key"
	KindSSHKey            = "ssh_key"
	KindSigningCert       = "signing_cert"
	KindServiceCredential = "service_credential"
	KindMFADevice         = "mfa_device"
	// KindPolicies is the disable-mode grant that puts the inline deny-all policy.
	KindPolicies = "policies"
	// KindUser is the delete-mode grant that removes the whole user.
	KindUser = "user"
)

// newGrant builds a grant of the user acct in this account. Its Ref is
// "MODE/ID", so a revocation does what the approver saw even if the
// configured mode changed in between.
func (c *Connector) newGrant(acct connectors.Account, kind, id, title string, context ...string) connectors.Grant {
	acct.System = connectors.AWS
	acct.Scope = c.accountID
	return connectors.Grant{Account: acct, Kind: kind, Ref: c.mode + "/" + id, Title: title, Context: context}
}

// parseRef splits a Ref into mode and ID; a Ref without a mode takes the
// connector's.
func (c *Connector) parseRef(ref string) (mode, id string) {
	if m, id, ok := strings.Cut(ref, "/"); ok && (m == ModeDisable || m == ModeDelete) {
		return m, id
	}
	return c.mode, ref
}

// shortID shows the first and last four characters: AKIA…WXYZ.
func shortID(id string) string {
	if len(id) <= 10 {
		return id
	}
	return id[:4] + "…" + id[len(id)-4:]
}

// verb says what revoking a credential will do in mode.
func verb(mode string) string {
	if mode == ModeDelete {
		return "will delete"
	}
	return "will deactivate"
}

func day(t *time.Time) string {
	if t == nil {
		return "unknown date"
	}
	return t.UTC().Format("2006-01-02")
}

// latest returns the later of two optional times.
func latest(a, b *time.Time) *time.Time {
	if a == nil || (b != nil && b.After(*a)) {
		return b
	}
	return a
}
