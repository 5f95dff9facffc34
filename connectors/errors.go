package connectors

import (
	"errors"
	"fmt"
	"time"
)

// ErrorKind sorts connector failures into what the caller should do next.
type ErrorKind uint8

// Kinds of connector error.
const (
	// KindUnknown is a failure nobody classified; it is retried.
	KindUnknown ErrorKind = iota
	// KindRetryable is transient: a 5xx, throttling, a network fault.
	KindRetryable
	// KindPermission means the credentials lack a permission; retrying
	// will not help until an operator fixes them.
	KindPermission
	// KindConfig means the configuration is wrong (an unknown org, a bad role ARN).
	KindConfig
	// KindNotFound means the thing asked about does not exist.
	KindNotFound
	// KindDecision means the system refused for a reason a person must
	// decide on (an outside collaborator who turned out to be a member):
	// retrying will not help, and the row says why.
	KindDecision
)

func (k ErrorKind) String() string {
	switch k {
	case KindRetryable:
		return "retryable"
	case KindPermission:
		return "permission denied"
	case KindConfig:
		return "invalid configuration"
	case KindNotFound:
		return "not found"
	case KindDecision:
		return "needs a decision"
	}
	return "unknown"
}

// Error is the typed error every connector returns.
type Error struct {
	System System
	// Op is a short lowercase verb phrase: "remove org membership".
	Op   string
	Kind ErrorKind
	// RetryAfter is the wait the system asked for, zero when it said nothing.
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s", e.System, e.Op)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Retryable says whether trying again later may succeed.
func (e *Error) Retryable() bool {
	return e.Kind == KindRetryable || e.Kind == KindUnknown
}

// KindOf returns the kind of err: the kind of the first *Error in its chain,
// KindUnknown when there is none.
func KindOf(err error) ErrorKind {
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Kind
	}
	return KindUnknown
}

// IsRetryable says whether err is worth retrying. Errors that are not
// *Error (a context deadline, a network fault) count as retryable.
func IsRetryable(err error) bool {
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Retryable()
	}
	return err != nil
}

// RetryAfterOf returns the wait err asks for, zero when it asks none.
func RetryAfterOf(err error) time.Duration {
	var ce *Error
	if errors.As(err, &ce) {
		return ce.RetryAfter
	}
	return 0
}
