package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// pager is what every paginator the IAM SDK generates has in common.
type pager[O any] interface {
	HasMorePages() bool
	NextPage(ctx context.Context, optFns ...func(*iam.Options)) (O, error)
}

// collectPages walks p to its end and gathers what page takes out of each
// page: its items and its next-page token, which a page guard watches, as a
// paginator would follow a repeated token forever. Any error is wrapped as
// op and drops what was gathered.
func collectPages[O, T any](ctx context.Context, op string, p pager[O], page func(O) ([]T, *string)) ([]T, error) {
	var all []T
	guard := awsapi.NewPageGuard(connectors.AWS, op)
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		var items []T
		if err == nil {
			var next *string
			items, next = page(out)
			err = guard.Next(next)
		}
		if err != nil {
			return nil, wrap(op, err)
		}
		all = append(all, items...)
	}
	return all, nil
}
