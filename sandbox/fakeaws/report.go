package fakeaws

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"net/http"
	"strconv"
	"time"
)

// reportLife is how long a credential report is reused, then expires.
const reportLife = 4 * time.Hour

// reportState is an account's credential report and its generation.
type reportState struct {
	generating bool
	started    time.Time
	polls      int
	content    []byte
	generated  time.Time
}

// ready counts one more poll of a generation in progress and finishes it
// once Options.ReportPolls polls and Options.ReportDelay have passed.
func (c *call) reportReady() bool {
	r := &c.acct.report
	r.polls++
	if r.polls <= c.srv.opts.ReportPolls || c.now.Sub(r.started) < c.srv.opts.ReportDelay {
		return false
	}
	r.generating = false
	r.content = buildReport(c.acct)
	r.generated = c.now
	return true
}

func generateCredentialReport(c *call, w *xmlw) *apiError {
	r := &c.acct.report
	if r.generating {
		state := "INPROGRESS"
		if c.reportReady() {
			state = "COMPLETE"
		}
		w.str("State", state)
		return nil
	}
	// IAM reuses a report younger than four hours instead of making one.
	if r.content != nil && c.now.Sub(r.generated) < reportLife {
		w.str("State", "COMPLETE")
		return nil
	}
	*r = reportState{generating: true, started: c.now}
	w.str("State", "STARTED")
	w.str("Description", "No report exists. Starting a new report generation task")
	return nil
}

func getCredentialReport(c *call, w *xmlw) *apiError {
	r := &c.acct.report
	switch {
	case r.generating && !c.reportReady():
		return &apiError{Status: http.StatusNotFound, Code: "ReportInProgress",
			Message: "Report generation is in progress. Try again later."}
	case r.content == nil:
		return &apiError{Status: http.StatusGone, Code: "ReportNotPresent",
			Message: "Credential report does not exist. Use GenerateCredentialReport to generate a credential report."}
	case c.now.Sub(r.generated) >= reportLife:
		return &apiError{Status: http.StatusGone, Code: "ReportExpired",
			Message: "Credential report has expired. Use GenerateCredentialReport to generate a new credential report."}
	}
	w.str("Content", base64.StdEncoding.EncodeToString(r.content))
	w.str("ReportFormat", "text/csv")
	w.time("GeneratedTime", r.generated)
	return nil
}

// DropCredentialReport forgets the account's credential report, so the
// next GenerateCredentialReport starts a new one.
func (s *Server) DropCredentialReport(accountID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.accounts[accountID]; ok {
		a.report = reportState{}
	}
}

// reportColumns returns the credential report's columns, as the IAM API
// reference for GetCredentialReport lists them.
func reportColumns() []string {
	return []string{"user", "arn", "user_creation_time", "password_enabled", "password_last_used",
		"password_last_changed", "password_next_rotation", "mfa_active",
		"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region", "access_key_1_last_used_service",
		"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region", "access_key_2_last_used_service",
		"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated"}
}

func buildReport(a *account) []byte {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write(reportColumns()) // a bytes.Buffer never fails
	_ = cw.Write([]string{"<root_account>", "arn:aws:iam::" + a.id + ":root", stamp(a.created),
		"not_supported", "no_information", "not_supported", "not_supported", "false",
		"false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "N/A", "N/A", "N/A",
		"false", "N/A", "false", "N/A"})
	for _, n := range a.names {
		_ = cw.Write(reportRow(a.users[n]))
	}
	cw.Flush()
	return buf.Bytes()
}

func reportRow(u *User) []string {
	row := []string{u.Name, u.ARN, stamp(u.Created)}
	switch {
	case u.LoginProfile != nil:
		lastUsed := "no_information"
		if u.PasswordLastUsed != nil {
			lastUsed = stamp(*u.PasswordLastUsed)
		}
		row = append(row, "true", lastUsed, stamp(u.LoginProfile.Created), "N/A")
	case u.PasswordLastUsed != nil:
		row = append(row, "false", stamp(*u.PasswordLastUsed), "N/A", "N/A")
	default:
		row = append(row, "false", "N/A", "N/A", "N/A")
	}
	row = append(row, strconv.FormatBool(len(u.MFADevices) > 0))
	for i := range 2 {
		if i >= len(u.AccessKeys) {
			row = append(row, "false", "N/A", "N/A", "N/A", "N/A")
			continue
		}
		k := u.AccessKeys[i]
		used, region, service := "N/A", "N/A", "N/A"
		if k.LastUsed != nil {
			used, region, service = stamp(*k.LastUsed), orNA(k.LastRegion), orNA(k.LastService)
		}
		row = append(row, strconv.FormatBool(k.Status == StatusActive), stamp(k.Created), used, region, service)
	}
	for i := range 2 {
		if i >= len(u.SigningCerts) {
			row = append(row, "false", "N/A")
			continue
		}
		cert := u.SigningCerts[i]
		row = append(row, strconv.FormatBool(cert.Status == StatusActive), stamp(cert.Uploaded))
	}
	return row
}

// stamp formats a time the way the report does: 2024-06-01T09:30:00+00:00.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }
