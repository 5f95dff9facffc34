// Package connectors holds the vocabulary every connector speaks: the
// accounts a person has, the grants those accounts hold, the outcome of a
// revocation and the kinds of error a connector reports.
//
// Each system lives in its own sub-package (connectors/github,
// connectors/aws, connectors/slack, connectors/manual) and satisfies the
// small interfaces that package flows declares. This package must not know
// about Slack messages, storage or the offboarding lifecycle.
package connectors

import (
	"time"
)

// System names one kind of system a connector talks to.
type System string

// The systems offboard knows.
const (
	GitHub System = "github"
	AWS    System = "aws"
	Slack  System = "slack"
	Manual System = "manual"
	// IdentityCenter is AWS IAM Identity Center (formerly AWS SSO): its
	// users, groups and account assignments.
	IdentityCenter System = "idc"
)

// Title is the system's name as a reader recognises it ("GitHub").
func (s System) Title() string {
	switch s {
	case GitHub:
		return "GitHub"
	case AWS:
		return "AWS"
	case Slack:
		return "Slack"
	case Manual:
		return "Manual"
	case IdentityCenter:
		return "AWS Identity Center"
	}
	return string(s)
}

// LinkMethod records how an account was linked to a person, so that a
// reader of the checklist can catch a wrong link.
type LinkMethod string

// The ways an account gets linked to an identity.
const (
	LinkConfig LinkMethod = "config"
	LinkEmail  LinkMethod = "email-match"
	LinkManual LinkMethod = "manual"
)

// Account is one account of a person in one system.
type Account struct {
	System System `json:"system"`
	// Scope is where the account lives: the GitHub org, the 12-digit AWS
	// account ID, the Slack team ID. Empty when the connector has one scope.
	Scope string `json:"scope,omitempty"`
	// ID is the account's name in that system: a GitHub login, an IAM user
	// name, a Slack user ID.
	ID string `json:"id"`
	// LinkedBy says how the account was linked to its identity; empty for
	// an account a connector found on its own (a dormant account, say).
	LinkedBy LinkMethod `json:"linked_by,omitempty"`
	// Emails are the person's known email addresses, when the caller has
	// them: some access is found by email rather than by account name (a
	// GitHub org invitation sent to an address, with no login yet).
	// Optional; a connector that needs none ignores it.
	Emails []string `json:"emails,omitempty"`
}

// Grant is one piece of access an account holds, as a connector found it,
// with the context an approver needs. A grant is revoked by one action.
type Grant struct {
	Account Account `json:"account"`
	// Kind is a stable, short name of the kind of grant ("membership",
	// "access_key", "usergroup"); policy rules match on it as `action`.
	Kind string `json:"kind"`
	// Ref is what the connector needs to find the grant again when it
	// revokes it (an access key ID, an invitation ID, a list of credential
	// IDs). Only the connector that made it interprets it.
	Ref string `json:"ref"`
	// Title names the grant in words: "org membership", "access key AKIA…WXYZ".
	Title string `json:"title"`
	// Context adds short facts: "admin", "2 teams", "s3", "12 repositories".
	Context []string `json:"context,omitempty"`
	// LastActive is the latest activity the system reports for this grant
	// (a key's last use, the latest contribution); nil when unknown or never.
	LastActive *time.Time `json:"last_active,omitempty"`
	// Items lists the members of a grouped grant (each SSO credential, each PAT).
	Items []string `json:"items,omitempty"`
	// Protected, when set, says why this grant must never be revoked: it is
	// the bot's own credential (the GitHub token's owner or App
	// installation, the AWS caller identity or its role, the Slack bot
	// user) or the last owner of the GitHub org. The row shows it with no
	// Approve, and flows never executes it.
	Protected string `json:"protected,omitempty"`
	// Manual, when set, says what a person must do by hand because the
	// system's API cannot do it here ("deprovision in the IdP"; a
	// workspace where only admins edit user groups). The row offers Mark
	// done instead of Approve; Revoke is never called for it.
	Manual string `json:"manual,omitempty"`
	// Warning is what an approver must read before approving: "CI may
	// depend on this deploy key", "the IdP's next sync restores this".
	Warning string `json:"warning,omitempty"`
}

// Outcome is what a successful revocation found.
type Outcome int

// Outcomes of Revoke.
const (
	// Revoked means this call removed the access.
	Revoked Outcome = iota + 1
	// AlreadyGone means the access was not there any more: success.
	AlreadyGone
)

func (o Outcome) String() string {
	switch o {
	case Revoked:
		return "revoked"
	case AlreadyGone:
		return "already gone"
	}
	return "unknown"
}

// Dormant is an account with no activity in the dormancy window.
type Dormant struct {
	Account Account `json:"account"`
	// Email is the account's email when the system knows one; it lets
	// flows match the account to an identity.
	Email string `json:"email,omitempty"`
	// LastActivity is the latest activity seen; nil when there was none.
	LastActivity *time.Time `json:"last_activity,omitempty"`
	// Why says in words why the account counts as dormant.
	Why string `json:"why"`
	// Check, when set, means the account is not reported as dormant: a
	// person must check it by hand, and this says why ("org owner: admin
	// work does not show as contributions", "activity could not be read").
	Check string `json:"check,omitempty"`
}

// Check is the result of one self-check of a connector (offboard doctor).
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// Observer is told of every API call a connector makes, for metrics and for
// the api_calls count of a scan. It must be safe for concurrent use and fast.
type Observer func(system System, op string, took time.Duration, err error)

// Observe calls o when it is set.
func (o Observer) Observe(system System, op string, took time.Duration, err error) {
	if o != nil {
		o(system, op, took, err)
	}
}
