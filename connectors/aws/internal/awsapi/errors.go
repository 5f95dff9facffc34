package awsapi

import (
	"context"
	"errors"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/offboard/offboard/connectors"
)

// Code is the AWS error code in err's chain ("NoSuchEntity"), "" when the
// error did not come from the service.
func Code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// IsNotFound says whether err is the service saying the thing is not there.
func IsNotFound(err error) bool {
	switch Code(err) {
	case "NoSuchEntity", "ResourceNotFoundException":
		return true
	}
	return false
}

// Wrap turns an SDK error into the connector's typed error. It is called
// after the SDK's retryer gave up, so throttling here means the API stayed
// throttled for the whole retry budget.
func Wrap(system connectors.System, op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *connectors.Error
	if errors.As(err, &ce) {
		return err
	}
	return &connectors.Error{System: system, Op: op, Kind: KindOf(err), Err: err}
}

// KindOf sorts an SDK error into what the caller should do next.
func KindOf(err error) connectors.ErrorKind {
	switch Code(err) {
	case "NoSuchEntity", "ResourceNotFoundException":
		return connectors.KindNotFound
	case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "InvalidClientTokenId",
		"UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidSignatureException",
		"MissingAuthenticationToken", "OptInRequired", "AWSOrganizationsNotInUseException":
		return connectors.KindPermission
	case "LimitExceeded", "ValidationError", "ValidationException", "InvalidInput",
		"MalformedPolicyDocument", "ServiceQuotaExceededException":
		// Waiting does not lift a quota or fix a request: a person must act.
		return connectors.KindConfig
	case "Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded",
		"ServiceFailure", "ServiceUnavailable", "InternalFailure", "InternalServerException",
		"ConcurrentModification", "ConflictException", "DeleteConflict", "ExpiredToken", "RequestExpired":
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
