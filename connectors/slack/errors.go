package slack

import (
	"context"
	"errors"
	"net/http"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// ErrLastMember means the user became the only member of the user group
// after discovery. Slack cannot empty a user group (usergroups.users.update
// refuses an empty list; usergroups.disable is the way), so discovering
// again offers to disable the group instead.
var ErrLastMember = errors.New("the user is now the group's last member and Slack cannot empty a user group; " +
	"discover again to disable the group instead")

// ErrAdminOnlyGroups means the workspace lets only admins modify or
// disable user groups, and a bot token is refused (permission_denied).
var ErrAdminOnlyGroups = errors.New("only workspace admins may edit user groups here, and offboard's bot cannot; " +
	"an admin makes the change by hand (or lets everyone manage user groups under " +
	"Workspace settings › Permissions › User Groups)")

// ErrNotLastMember means others joined a group since it was offered for
// disabling; disabling it now would cut them off too.
var ErrNotLastMember = errors.New("others have joined the group since discovery; disabling it would cut them off too: " +
	"discover again to remove only this person")

// ErrSCIMRefused is SCIM's 403 on a deactivation: it cannot act on the
// primary owner, nor on accounts with more permissions than its token's
// owner (an admin's token cannot act on owners).
var ErrSCIMRefused = errors.New("SCIM refused the deactivation: it cannot deactivate the primary owner, nor an account with " +
	"more permissions than the SCIM token's owner; deactivate the account by hand")

// kinds sorts Slack's error codes by what the caller should do next.
func kindOf(code string) connectors.ErrorKind {
	switch code {
	case "missing_scope", "not_allowed_token_type", "permission_denied", "no_permission",
		"restricted_action", "plan_upgrade_required", "paid_only", "team_access_not_granted", "ekm_access_denied",
		"not_an_admin", "feature_not_enabled":
		return connectors.KindPermission
	case "cannot_reset_bot", "cannot_reset_primary_owner", "session_reset_not_allowed":
		return connectors.KindDecision
	case "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive",
		"invalid_users", "invalid_arguments", "invalid_arg_name", "no_users_provided", "missing_argument",
		"invalid_cursor", "invalid_limit", "over_pagination_limit":
		return connectors.KindConfig
	case "user_not_found", "users_not_found", "no_such_subteam", "channel_not_found":
		return connectors.KindNotFound
	case "ratelimited", "fatal_error", "internal_error", "service_unavailable", "request_timeout":
		return connectors.KindRetryable
	}
	return connectors.KindUnknown
}

// classify turns what slack-go returned into a *connectors.Error.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	ce := &connectors.Error{System: connectors.Slack, Op: op, Kind: connectors.KindUnknown, Err: err}
	var (
		rl *slackapi.RateLimitedError
		sc slackapi.StatusCodeError
		se slackapi.SlackErrorResponse
	)
	switch {
	case errors.As(err, &rl):
		ce.Kind, ce.RetryAfter = connectors.KindRetryable, rl.RetryAfter
	case errors.As(err, &se):
		ce.Kind = kindOf(se.Err)
	case errors.As(err, &sc):
		ce.Kind = statusKind(sc.Code)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		ce.Kind = connectors.KindRetryable
	default:
		// A network fault: the request may never have reached Slack.
		ce.Kind = connectors.KindRetryable
	}
	return ce
}

func statusKind(code int) connectors.ErrorKind {
	switch {
	case code == http.StatusTooManyRequests || code >= 500:
		return connectors.KindRetryable
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return connectors.KindPermission
	case code == http.StatusNotFound:
		return connectors.KindNotFound
	}
	return connectors.KindUnknown
}

// slackCode is the error code of a Slack ok:false answer, "" otherwise.
func slackCode(err error) string {
	var se slackapi.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	return ""
}
