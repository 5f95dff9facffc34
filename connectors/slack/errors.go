package slack

import (
	"context"
	"errors"
	"net/http"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// ErrLastMember means the user is the only member of the user group. Slack
// cannot empty a user group through the API (usergroups.users.update
// refuses an empty list), so an approver must remove them by hand (add
// someone else first, or disable the group) and then mark the action done.
var ErrLastMember = errors.New("the user is the group's last member and Slack cannot empty a user group; " +
	"remove them by hand (add someone else or disable the group), then mark it done")

// kinds sorts Slack's error codes by what the caller should do next.
func kindOf(code string) connectors.ErrorKind {
	switch code {
	case "missing_scope", "not_allowed_token_type", "permission_denied", "no_permission",
		"restricted_action", "plan_upgrade_required", "paid_only", "team_access_not_granted", "ekm_access_denied":
		return connectors.KindPermission
	case "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive",
		"invalid_users", "invalid_arguments", "invalid_arg_name", "no_users_provided":
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
