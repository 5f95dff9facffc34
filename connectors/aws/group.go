package aws

import (
	"context"

	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

func newGroup(ctx context.Context) (*awsapi.Group, context.Context) { return awsapi.NewGroup(ctx) }
