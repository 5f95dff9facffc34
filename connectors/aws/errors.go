package aws

import (
	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// apiCode is the AWS error code in err's chain ("NoSuchEntity"), "" when
// the error did not come from the service.
func apiCode(err error) string { return awsapi.Code(err) }

func isNoSuchEntity(err error) bool { return apiCode(err) == "NoSuchEntity" }

// wrap turns an SDK error into the connector's typed error.
func wrap(op string, err error) error { return awsapi.Wrap(connectors.AWS, op, err) }
