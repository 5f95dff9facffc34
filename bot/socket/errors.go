package socket

import "errors"

var (
	// ErrInvalidAuth means Slack refused the app-level token (invalid_auth,
	// not_authed, account_inactive, token_revoked, or an HTTP 404 from
	// apps.connections.open). Retrying cannot help: Run stops with it.
	ErrInvalidAuth = errors.New("slack refused the app-level token")
	// ErrAckTooLarge means the ack frame would be 20,480 bytes or more,
	// which Slack drops unread; nothing was sent.
	ErrAckTooLarge = errors.New("ack frame of 20,480 bytes or more")
	// ErrClosed means the envelope's connection is gone; Slack redelivers
	// an unacknowledged event, and a person sees their action fail.
	ErrClosed = errors.New("socket closed")

	errNoEnvelopeID = errors.New("frame without envelope_id")
)
