package storage

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// ExportFilter selects the events to export; zero fields select everything.
type ExportFilter struct {
	Since  time.Time // events at or after this instant
	CaseID int64
}

// AuditEvents calls fn for each event the filter selects, in seq order.
func (db *DB) AuditEvents(ctx context.Context, f ExportFilter, fn func(Event) error) error {
	q := `SELECT seq, at, type, coalesce(case_id,0), coalesce(action_id,0), actor, details, prev_hash, hash
		FROM audit_events WHERE 1=1`
	var args []any
	if !f.Since.IsZero() {
		q += ` AND at >= ?`
		args = append(args, f.Since.UTC().Format(auditTimeLayout))
	}
	if f.CaseID != 0 {
		q += ` AND case_id = ?`
		args = append(args, f.CaseID)
	}
	q += ` ORDER BY seq`
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read audit events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ev Event
		var at, details string
		if err := rows.Scan(&ev.Seq, &at, &ev.Type, &ev.CaseID, &ev.ActionID, &ev.Actor, &details, &ev.PrevHash, &ev.Hash); err != nil {
			return fmt.Errorf("read audit event: %w", err)
		}
		ev.At, _ = time.Parse(auditTimeLayout, at)
		ev.Details = json.RawMessage(details)
		if err := fn(ev); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ExportColumns are the export's fields, in their stable order.
var ExportColumns = []string{"seq", "at", "type", "case_id", "action_id", "actor", "details", "prev_hash", "hash"}

type exportRow struct {
	Seq      int64           `json:"seq"`
	At       string          `json:"at"`
	Type     string          `json:"type"`
	CaseID   *int64          `json:"case_id"`
	ActionID *int64          `json:"action_id"`
	Actor    string          `json:"actor"`
	Details  json.RawMessage `json:"details"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

func optional(v int64) *int64 {
	if v == 0 {
		return nil
	}
	return &v
}

// ExportJSONL writes one JSON object per event and line.
func (db *DB) ExportJSONL(ctx context.Context, w io.Writer, f ExportFilter) (int, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	n := 0
	err := db.AuditEvents(ctx, f, func(ev Event) error {
		n++
		return enc.Encode(exportRow{
			Seq: ev.Seq, At: ev.At.UTC().Format(auditTimeLayout), Type: ev.Type,
			CaseID: optional(ev.CaseID), ActionID: optional(ev.ActionID), Actor: ev.Actor,
			Details: ev.Details, PrevHash: ev.PrevHash, Hash: ev.Hash,
		})
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// ExportCSV writes a header row and one row per event; details is the JSON
// text, ids are empty when the event has none.
func (db *DB) ExportCSV(ctx context.Context, w io.Writer, f ExportFilter) (int, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportColumns); err != nil {
		return 0, err
	}
	id := func(v int64) string {
		if v == 0 {
			return ""
		}
		return strconv.FormatInt(v, 10)
	}
	n := 0
	err := db.AuditEvents(ctx, f, func(ev Event) error {
		n++
		return cw.Write([]string{strconv.FormatInt(ev.Seq, 10), ev.At.UTC().Format(auditTimeLayout), ev.Type,
			id(ev.CaseID), id(ev.ActionID), ev.Actor, string(ev.Details), ev.PrevHash, ev.Hash})
	})
	if err != nil {
		return n, err
	}
	cw.Flush()
	return n, cw.Error()
}
