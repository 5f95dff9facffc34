package aws

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/connectors"
)

// credentialReport returns the account's credential report as CSV, within
// Options.ReportCalls IAM calls: generate, then fetch, waiting (ReportPoll,
// tripled each time, at most a minute) while IAM is still writing it.
func (c *Connector) credentialReport(ctx context.Context) ([]byte, error) {
	calls := 0
	generate := func() (types.ReportStateType, error) {
		calls++
		out, err := c.iam.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
		if apiCode(err) == "LimitExceeded" {
			// IAM limits how often a report is generated; the one that
			// limit protects is made or being made, so wait and read it.
			// The SDK does not retry LimitExceeded, and it is not permanent here.
			return types.ReportStateTypeInprogress, nil
		}
		if err != nil {
			return "", wrap("generate credential report", err)
		}
		return out.State, nil
	}
	state, err := generate()
	if err != nil {
		return nil, err
	}
	wait := c.opts.ReportPoll
	for calls < c.opts.ReportCalls {
		if state != types.ReportStateTypeComplete {
			if err := connectors.Sleep(ctx, wait); err != nil {
				return nil, err
			}
			wait = min(3*wait, time.Minute)
		}
		calls++
		out, err := c.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
		switch apiCode(err) {
		case "":
			if err != nil {
				return nil, wrap("get credential report", err)
			}
			return out.Content, nil
		case "ReportInProgress":
			state = types.ReportStateTypeInprogress
		case "ReportNotPresent", "ReportExpired":
			if calls < c.opts.ReportCalls {
				if state, err = generate(); err != nil {
					return nil, err
				}
			}
		default:
			return nil, wrap("get credential report", err)
		}
	}
	return nil, &connectors.Error{System: connectors.AWS, Op: "get credential report", Kind: connectors.KindRetryable,
		Err: fmt.Errorf("report not ready after %d calls", calls)}
}
