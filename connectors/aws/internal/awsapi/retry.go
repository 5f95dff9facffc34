package awsapi

import (
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// Retryer is the SDK's standard retryer with more attempts: AWS throttles
// account-wide, and a revocation is worth waiting for. It also retries
// ConcurrentModification, which IAM answers when two changes to one user
// (the parallel removals of a deletion) overlap, and ConflictException,
// which SSO Admin answers while another change to the same assignment or
// permission set is in flight.
func Retryer(maxAttempts int, maxBackoff time.Duration) func() awssdk.Retryer {
	return func() awssdk.Retryer {
		return retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = maxAttempts
			so.MaxBackoff = maxBackoff
			so.Retryables = append(so.Retryables, retry.RetryableErrorCode{
				Codes: map[string]struct{}{"ConcurrentModification": {}, "ConflictException": {}}})
		})
	}
}
