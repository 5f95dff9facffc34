package main

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/offboard/offboard/storage"
)

const auditAbout = `Works on the database alone (OFFBOARD_DB, default ./offboard.db); it needs
no configuration or tokens, and may run while the bot runs.

  offboard audit verify    recompute the hash chain; exit 1 naming the first bad event
                           (--anchor SEQ:HASH, --anchors FILE: also check stated heads)
  offboard audit export    write the events for auditors (jsonl or csv, times in UTC)`

func cmdAudit(ctx context.Context, e cliEnv, args []string) error {
	if len(args) == 0 {
		return &usageError{msg: "audit needs a subcommand\n\nUsage: offboard audit verify | offboard audit export [flags]\n\n" + auditAbout}
	}
	switch args[0] {
	case "verify":
		return cmdAuditVerify(ctx, e, args[1:])
	case "export":
		return cmdAuditExport(ctx, e, args[1:])
	case "-h", "--help", "-help", "help":
		fmt.Fprintf(e.stdout, "Usage: offboard audit verify | offboard audit export [flags]\n\n%s\n", auditAbout)
		return nil
	}
	return &usageError{msg: fmt.Sprintf("unknown audit subcommand %q (verify or export)", args[0])}
}

func dbPath(e cliEnv) string {
	if p := e.getenv("OFFBOARD_DB"); p != "" {
		return p
	}
	return "./offboard.db"
}

func cmdAuditVerify(ctx context.Context, e cliEnv, args []string) error {
	f := newFlags("audit verify", "offboard audit verify [--anchor SEQ:HASH]... [--anchors FILE]",
		"Recomputes the audit log's hash chain. Prints \"ok: N events\" and exits 0,\nor names the first event that does not match and exits 1.\n\n"+
			"An anchor is a chain head the bot stated outside the database (the closing\nreply of each case, the daily anchor in the nightly report's thread). With\n"+
			"anchors, verify also fails when event SEQ is missing (a cut-off log) or its\nhash differs (a rewritten log).")
	var anchorArgs stringList
	f.Var(&anchorArgs, "anchor", "SEQ:HASH the log must contain (repeatable)")
	file := f.String("anchors", "", "a file of anchors, one SEQ:HASH per line (blank lines and # comments skipped)")
	if err := f.parse(e, args, 0); err != nil {
		return err
	}
	anchors, err := readAnchors(anchorArgs, *file)
	if err != nil {
		return err
	}
	db, err := storage.OpenExisting(ctx, dbPath(e))
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	n, broken, err := db.VerifyAudit(ctx, anchors...)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	if broken != nil {
		fmt.Fprintf(e.stdout, "FAILED: %s (%d events before it verified)\n", broken.Error(), n)
		return &checkFailed{}
	}
	also := ""
	if len(anchors) > 0 {
		also = fmt.Sprintf(", %d anchors match", len(anchors))
	}
	fmt.Fprintf(e.stdout, "ok: %d events%s (%s)\n", n, also, time.Since(start).Round(time.Millisecond))
	return nil
}

func cmdAuditExport(ctx context.Context, e cliEnv, args []string) error {
	f := newFlags("audit export", "offboard audit export [--format jsonl|csv] [--since YYYY-MM-DD] [--case ID]",
		"Writes one row per audit event to stdout with the fields\nseq, at, type, case_id, action_id, actor, details, prev_hash, hash (times in UTC ISO-8601).")
	format := f.String("format", "jsonl", "jsonl or csv")
	since := f.String("since", "", "only events on or after this UTC date (YYYY-MM-DD)")
	caseID := f.String("case", "", "only the events of this case ID")
	if err := f.parse(e, args, 0); err != nil {
		return err
	}
	var filter storage.ExportFilter
	if *since != "" {
		t, err := time.Parse("2006-01-02", *since)
		if err != nil {
			return &usageError{msg: fmt.Sprintf("--since %q is not a date (write it as YYYY-MM-DD, like 2024-07-01)", *since)}
		}
		filter.Since = t
	}
	if *caseID != "" {
		id, err := strconv.ParseInt(*caseID, 10, 64)
		if err != nil || id <= 0 {
			return &usageError{msg: fmt.Sprintf("--case %q is not a case ID (a positive number, as /offboard status shows)", *caseID)}
		}
		filter.CaseID = id
	}
	if *format != "jsonl" && *format != "csv" {
		return &usageError{msg: fmt.Sprintf("--format %q is not jsonl or csv", *format)}
	}
	db, err := storage.OpenExisting(ctx, dbPath(e))
	if err != nil {
		return err
	}
	defer db.Close()
	w := bufio.NewWriter(e.stdout)
	if *format == "csv" {
		_, err = db.ExportCSV(ctx, w, filter)
	} else {
		_, err = db.ExportJSONL(ctx, w, filter)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return w.Flush()
}
