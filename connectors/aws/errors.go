package aws

import (
	"context"
	"errors"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/offboard/offboard/connectors"
)

// apiCode is the AWS error code in err's chain ("NoSuchEntity"), "" when
// the error did not come from the service.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func isNoSuchEntity(err error) bool { return apiCode(err) == "NoSuchEntity" }

// wrap turns an SDK error into the connector's typed error. It is called
// after the SDK's retryer gave up, so throttling here means the account
// stayed throttled for the whole retry budget.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *connectors.Error
	if errors.As(err, &ce) {
		return err
	}
	return &connectors.Error{System: connectors.AWS, Op: op, Kind: kindOf(err), Err: err}
}

func kindOf(err error) connectors.ErrorKind {
	switch apiCode(err) {
	case "NoSuchEntity":
		return connectors.KindNotFound
	case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
		"InvalidClientTokenId", "SignatureDoesNotMatch", "MissingAuthenticationToken", "OptInRequired":
		return connectors.KindPermission
	case "LimitExceeded", "ValidationError", "InvalidInput", "MalformedPolicyDocument":
		// Waiting does not lift a quota or fix a request: a person must act.
		return connectors.KindConfig
	case "Throttling", "ThrottlingException", "RequestLimitExceeded", "ServiceFailure",
		"ServiceUnavailable", "InternalFailure", "ConcurrentModification", "DeleteConflict",
		"ExpiredToken", "RequestExpired":
		return connectors.KindRetryable
	case "":
		if errors.Is(err, context.Canceled) {
			return connectors.KindUnknown
		}
		// Network faults, deadlines, the SDK's retry quota running out.
		return connectors.KindRetryable
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() >= 500 {
		return connectors.KindRetryable
	}
	return connectors.KindUnknown
}
