package aws

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// Dormant lists the IAM users of this account with no console sign-in and
// no access-key use in the last inactiveDays, from the credential report
// alone (never per-user calls). Users created within the window are not
// dormant. Email stays empty: the report has no tags.
func (c *Connector) Dormant(ctx context.Context, now time.Time, inactiveDays int) ([]connectors.Dormant, error) {
	ctx, cancel := awsapi.WithDeadline(ctx, c.opts.Timeout)
	defer cancel()
	content, err := c.credentialReport(ctx)
	if err != nil {
		return nil, err
	}
	cutoff := now.Add(-time.Duration(inactiveDays) * 24 * time.Hour)
	var out []connectors.Dormant
	err = eachReportRow(content, func(r reportRow) {
		if r.user == "<root_account>" || r.created.After(cutoff) {
			return
		}
		last := latest(r.passwordUsed, latest(r.key1Used, r.key2Used))
		if last != nil && last.After(cutoff) {
			return
		}
		why := fmt.Sprintf("no console sign-in or access-key use in %d days", inactiveDays)
		if last == nil {
			why = "no console sign-in or access-key use on record"
		}
		out = append(out, connectors.Dormant{
			Account:      connectors.Account{System: connectors.AWS, Scope: c.accountID, ID: r.user},
			LastActivity: last,
			Why:          why,
		})
	})
	if err != nil {
		return nil, &connectors.Error{System: connectors.AWS, Op: "read credential report", Kind: connectors.KindUnknown, Err: err}
	}
	c.log.Info().Int("dormant", len(out)).Int("inactive_days", inactiveDays).Msg("read credential report")
	return out, nil
}

// reportRow is what dormancy needs from one row of the credential report.
type reportRow struct {
	user                             string
	created                          time.Time
	passwordUsed, key1Used, key2Used *time.Time
}

// eachReportRow reads the CSV by column name, so that new columns do not
// break it. A row whose dates cannot be read is an error: guessing could
// report an active user as dormant.
func eachReportRow(content []byte, f func(reportRow)) error {
	r := csv.NewReader(bytes.NewReader(content))
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("read header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	need := []string{"user", "user_creation_time", "password_last_used", "access_key_1_last_used_date", "access_key_2_last_used_date"}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return fmt.Errorf("read header: no column %s", n)
		}
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read line %d: %w", line, err)
		}
		row := reportRow{user: rec[col["user"]]}
		var created *time.Time
		for _, v := range []struct {
			dst **time.Time
			col string
		}{{&created, "user_creation_time"}, {&row.passwordUsed, "password_last_used"},
			{&row.key1Used, "access_key_1_last_used_date"}, {&row.key2Used, "access_key_2_last_used_date"}} {
			if *v.dst, err = reportTime(rec[col[v.col]]); err != nil {
				return fmt.Errorf("read line %d (%s) %s: %w", line, row.user, v.col, err)
			}
		}
		if created != nil {
			row.created = *created
		}
		f(row)
	}
}

// reportTime reads a report timestamp; N/A, no_information and
// not_supported mean none.
func reportTime(s string) (*time.Time, error) {
	switch s {
	case "", "N/A", "no_information", "not_supported":
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, fmt.Errorf("parse time: %w", err)
	}
	return &t, nil
}
