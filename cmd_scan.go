package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/storage"
)

const scanAbout = `Reports accounts with no activity for dormancy.inactive_days (default 90):
GitHub org members without contributions in the window (GraphQL, many members
per query) and IAM users from the credential report. Snoozed accounts are left
out; accounts younger than the window are not dormant.

Without --dry-run the scan is recorded and its report (with Start offboarding
and Snooze 30 days buttons) is queued for the approvals channel; the running
bot posts it. Exit 1 when a system could not be scanned.`

// scanJSON is the fixed output of `offboard scan --format json`.
type scanJSON struct {
	GeneratedAt  string         `json:"generated_at"`
	InactiveDays int            `json:"inactive_days"`
	Dormant      []dormantJSON  `json:"dormant"`
	APICalls     map[string]int `json:"api_calls"`
	// CheckByHand and Notes are additions to the fixed form: accounts
	// not called dormant that a person must check, and what the scan
	// could not see.
	CheckByHand []dormantJSON `json:"check_by_hand,omitempty"`
	Notes       []string      `json:"notes,omitempty"`
}

type dormantJSON struct {
	System       string        `json:"system"`
	Account      string        `json:"account"`
	AWSAccount   string        `json:"aws_account,omitempty"`
	Identity     *identityJSON `json:"identity,omitempty"`
	LastActivity *string       `json:"last_activity"`
	Why          string        `json:"why"`
}

type identityJSON struct {
	Slack string `json:"slack,omitempty"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	// AllDormant is set when every account linked to the person is dormant.
	AllDormant bool `json:"all_dormant"`
}

func cmdScan(ctx context.Context, e cliEnv, args []string) error {
	f := newFlags("scan", "offboard scan [--dry-run] [--format table|json] [--config offboard.yml]", scanAbout)
	dry := f.Bool("dry-run", false, "report only: record nothing and post nothing")
	format := f.String("format", "table", "table or json")
	path := f.configFlag()
	if err := f.parse(e, args, 0); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return &usageError{msg: fmt.Sprintf("--format %q is not table or json", *format)}
	}
	s, err := loadSetup(e, *path)
	if err != nil {
		return err
	}
	db, err := storage.Open(ctx, dbPath(e))
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	counter := newCalls(nil)
	conns, _ := buildConnectors(ctx, s.cfg, s.secrets, e.getenv, slackClient(s.secrets, e.getenv), s.log, counter.observe, s.red.Add, s.wire)
	svc := flows.New(flows.Options{DB: db, Config: s.cfg.Flows, Connectors: conns, Logger: s.log, RoleGroups: s.cfg.Slack.RoleGroups(), Lease: testLease()})
	if err := svc.SyncConfigIdentities(ctx); err != nil {
		return err
	}
	calls := counter.counts() // calls made while starting, not by the scan
	rep, err := svc.Scan(ctx, flows.ScanInput{Trigger: "cli", Actor: flows.System, DryRun: *dry})
	if err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	used := map[string]int{}
	for _, c := range conns {
		if _, ok := c.(flows.DormancyReporter); ok {
			used[string(c.System())] = 0
		}
	}
	for k, v := range counter.counts() {
		if _, ok := used[k]; ok {
			used[k] = v - calls[k]
		}
	}
	if *format == "json" {
		out := scanJSON{GeneratedAt: rep.GeneratedAt.UTC().Format(time.RFC3339), InactiveDays: rep.InactiveDays, Dormant: []dormantJSON{}, APICalls: used,
			Notes: rep.Notes}
		for _, c := range rep.Checks {
			d := dormantJSON{System: string(c.Account.System), Account: c.Account.ID, Why: c.Check}
			if c.LastActivity != nil {
				t := c.LastActivity.UTC().Format(time.RFC3339)
				d.LastActivity = &t
			}
			out.CheckByHand = append(out.CheckByHand, d)
		}
		for _, r := range rep.Rows {
			d := dormantJSON{System: string(r.Account.System), Account: r.Account.ID, Why: r.Why}
			if r.Account.System == connectors.AWS {
				d.AWSAccount = r.Account.Scope
			}
			if r.LastActivity != nil {
				t := r.LastActivity.UTC().Format(time.RFC3339)
				d.LastActivity = &t
			}
			if r.Identity != nil {
				d.Identity = &identityJSON{Slack: r.Identity.SlackUser, Name: r.Identity.Name, Email: r.Identity.Email, AllDormant: r.WholePerson}
			}
			out.Dormant = append(out.Dormant, d)
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SYSTEM\tSCOPE\tACCOUNT\tPERSON\tLAST ACTIVITY\tWHY")
		for _, r := range rep.Rows {
			last := "never"
			if r.LastActivity != nil {
				last = r.LastActivity.UTC().Format("2006-01-02")
			}
			person := "-"
			if r.Identity != nil {
				person = strings.TrimSpace(r.Identity.Name + " " + r.Identity.SlackUser)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Account.System, r.Account.Scope, r.Account.ID, person, last, r.Why)
		}
		tw.Flush()
		fmt.Fprintf(e.stdout, "%d dormant (no activity in %d days); API calls: %v\n", len(rep.Rows), rep.InactiveDays, used)
		for _, c := range rep.Checks {
			fmt.Fprintf(e.stdout, "check by hand: %s %s %s: %s\n", c.Account.System, c.Account.Scope, c.Account.ID, c.Check)
		}
		for _, n := range rep.Notes {
			fmt.Fprintf(e.stdout, "note: %s\n", n)
		}
	}
	if len(rep.Failed) > 0 {
		return &checkFailed{msg: "some systems could not be scanned:\n" + indent(strings.Join(rep.Failed, "\n"))}
	}
	return nil
}
