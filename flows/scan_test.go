package flows

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// scanRig has a GitHub and an AWS connector that report dormant accounts:
// the target's two accounts (the whole person is dormant), one of other's
// two, and an account linked to nobody.
func scanRig(t *testing.T) (*rig, *sys, *sys) {
	t.Helper()
	old := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	gh, iam := newGitHub(), newAWS()
	gh.grants["stranger"] = []connectors.Grant{{Kind: "membership", Ref: "m-stranger"}}
	gh.dormant = []connectors.Dormant{
		{Account: connectors.Account{System: connectors.GitHub, ID: "stranger"}, Why: "no contributions in 90 days"},
		{Account: connectors.Account{System: connectors.GitHub, ID: "octo"}, LastActivity: &old, Why: "no contributions in 90 days"},
		{Account: connectors.Account{System: connectors.GitHub, ID: "oth"}, Why: "no contributions in 90 days"},
	}
	iam.dormant = []connectors.Dormant{
		{Account: connectors.Account{System: connectors.AWS, ID: "dev"}, Why: "no password or key used in 90 days"},
	}
	cfg := Config{Identities: []IdentityConfig{
		{Slack: target.SlackID, GitHub: "octo", AWS: "dev"},
		{Slack: other.SlackID, GitHub: "oth", AWS: "oth"},
	}}
	r := newRigWith(t, rigOptions{cfg: cfg, extra: []Connector{gh, iam}})
	if err := r.svc.SyncConfigIdentities(r.ctx); err != nil {
		t.Fatal(err)
	}
	return r, gh, iam
}

// row describes a report row: account, its person's Slack ID, whole person.
type row struct {
	account string
	person  string
	whole   bool
}

func rowsOf(rep Report) []row {
	var out []row
	for _, d := range rep.Rows {
		x := row{account: string(d.Account.System) + "/" + d.Account.Scope + "/" + d.Account.ID, whole: d.WholePerson}
		if d.Identity != nil {
			x.person = d.Identity.SlackUser
		}
		out = append(out, x)
	}
	return out
}

func TestAScanReportsDormantAccountsAndThePeopleWhollyDormant(t *testing.T) {
	r, _, _ := scanRig(t)
	rep, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "command", Actor: sec1})
	if err != nil {
		t.Fatal(err)
	}
	want := []row{
		{"aws/111122223333/dev", target.SlackID, true},
		{"github/acme/octo", target.SlackID, true},
		{"github/acme/oth", other.SlackID, false},
		{"github/acme/stranger", "", false},
	}
	if got := rowsOf(rep); !slices.Equal(got, want) {
		t.Errorf("rows %+v; want %+v", got, want)
	}
	if rep.ScanID == 0 || rep.InactiveDays != 90 || !rep.GeneratedAt.Equal(r.clock.Now()) || len(rep.Failed) != 0 {
		t.Errorf("report %+v", rep)
	}
	fs, err := storage.ListFindings(r.ctx, r.db.Reader(), rep.ScanID)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 4 || fs[1].Account != "octo" || fs[1].IdentityID == 0 || fs[1].State != "reported" ||
		!fs[1].LastActivity.Equal(time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)) || fs[3].IdentityID != 0 ||
		rep.Rows[1].FindingID != fs[1].ID {
		t.Errorf("findings %+v", fs)
	}
	e := r.last(storage.EventScanRun)
	if e.Actor != sec1.ID || e.Details["scan"] != float64(rep.ScanID) || e.Details["trigger"] != "command" ||
		e.Details["dormant"] != 4.0 || e.Details["inactive_days"] != 90.0 {
		t.Errorf("scan_run event %+v", e.Details)
	}
}

func TestADryRunRecordsNothing(t *testing.T) {
	r, _, _ := scanRig(t)
	before := r.seq()
	rep, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "cli", Actor: System, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 4 || rep.ScanID != 0 || rep.Rows[0].FindingID != 0 {
		t.Errorf("dry-run report %+v", rep)
	}
	if evs := r.since(before); len(evs) != 0 || r.count("scan_runs") != 0 || r.count("dormant_findings") != 0 {
		t.Errorf("a dry run wrote events %v, %d scans, %d findings", evs, r.count("scan_runs"), r.count("dormant_findings"))
	}
}

func TestASystemThatCannotBeScannedIsNamedInTheReport(t *testing.T) {
	r, gh, iam := scanRig(t)
	idc := &sys{system: connectors.IdentityCenter, scope: "d-123", dormantErr: errors.New("throttled")}
	r.rebuild(nil, false, gh, iam, idc)
	rep, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "schedule", Actor: System})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != 1 || rep.Failed[0] != "AWS Identity Center (d-123): throttled" || len(rep.Rows) != 4 {
		t.Errorf("failed %q with %d rows", rep.Failed, len(rep.Rows))
	}
	var state string
	if err := r.db.Reader().QueryRowContext(r.ctx, `SELECT state FROM scan_runs WHERE id=?`, rep.ScanID).Scan(&state); err != nil {
		t.Fatal(err)
	}
	if state != "failed" {
		t.Errorf("scan state %q; want failed", state)
	}
	if f := r.last(storage.EventScanRun).Details["failed"].([]any); len(f) != 1 {
		t.Errorf("scan_run failed %v", f)
	}
}

func TestOnlyOneScanRunsAtATime(t *testing.T) {
	r, gh, _ := scanRig(t)
	gh.inScan, gh.release = make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "schedule", Actor: System})
		done <- err
	}()
	<-gh.inScan
	if _, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "cli", Actor: System}); !errors.Is(err, ErrScanRunning) {
		t.Errorf("a second scan: %v; want ErrScanRunning", err)
	}
	if err := r.svc.RequestScan(r.ctx, sec1); !errors.Is(err, ErrScanRunning) {
		t.Errorf("/offboard scan during a scan: %v; want ErrScanRunning", err)
	}
	close(gh.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := r.count("scan_runs"); n != 1 {
		t.Errorf("%d scans recorded; want 1", n)
	}
	// The lease is released: the next scan runs.
	gh.inScan = nil
	if err := r.svc.RequestScan(r.ctx, sec1); err != nil {
		t.Errorf("a scan after the first ended: %v", err)
	}
	if e := r.last(storage.EventScanRun); e.Details["trigger"] != "command" || e.Actor != sec1.ID {
		t.Errorf("scan_run event %+v", e)
	}
}

func TestOnlyApproversScan(t *testing.T) {
	r, _, _ := scanRig(t)
	wantRefusal(t, r.svc.RequestScan(r.ctx, manager), NotApprover)
	if e := r.last(storage.EventRefused); e.Actor != manager.ID || e.Details["what"] != "scan" {
		t.Errorf("refused event %+v", e)
	}
	if r.count("scan_runs") != 0 {
		t.Error("a refused scan ran")
	}
}

// finding returns the ID of the report row for an account.
func finding(t *testing.T, rep Report, account string) int64 {
	t.Helper()
	for _, d := range rep.Rows {
		if d.Account.ID == account {
			return d.FindingID
		}
	}
	t.Fatalf("no row for %s", account)
	return 0
}

func TestStartFromDormant(t *testing.T) {
	for _, tc := range []struct {
		name    string
		actor   Actor
		account string
		before  func(r *rig) // what happened before the click
		kind    RefusalKind
		audited bool // the refusal is audited
	}{
		{name: "an approver starts a case for an account linked to nobody", actor: sec1, account: "stranger"},
		{name: "an approver starts a case for a person", actor: sec1, account: "octo"},
		{name: "a non-approver is refused", actor: manager, account: "octo", kind: NotApprover, audited: true},
		{name: "the target cannot start their own", actor: self, account: "octo", kind: IsTarget, audited: true},
		{name: "a person with a case already", actor: sec1, account: "octo", kind: Duplicate, audited: true,
			before: func(r *rig) { r.request(manager, target) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _, _ := scanRig(t)
			rep, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "command", Actor: sec1})
			if err != nil {
				t.Fatal(err)
			}
			if tc.before != nil {
				tc.before(r)
			}
			f := finding(t, rep, tc.account)
			before := r.seq()
			err = r.svc.StartFromDormant(r.ctx, tc.actor, f)
			got, lerr := storage.LoadFinding(r.ctx, r.db.Reader(), f)
			if lerr != nil {
				t.Fatal(lerr)
			}
			if tc.kind != 0 {
				ref := wantRefusal(t, err, tc.kind)
				if ref.Verb != "start offboarding" {
					t.Errorf("verb %q", ref.Verb)
				}
				if evs := r.since(before); tc.audited && (len(evs) != 1 || evs[0] != storage.EventRefused) {
					t.Errorf("events %v; want one refused", evs)
				}
				if tc.kind == Duplicate {
					if ref.Case.ID == 0 || ref.Case.Target.SlackUser != target.SlackID {
						t.Errorf("the duplicate names case %+v", ref.Case)
					}
					return
				}
				if got.State != "reported" {
					t.Errorf("a refused start left the finding %s", got.State)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.State != "started" {
				t.Errorf("finding %s; want started", got.State)
			}
			e := r.last(storage.EventRequested)
			c := r.load(e.CaseID)
			if c.Trigger != storage.TriggerDormant || c.Requester != tc.actor.ID || !strings.HasPrefix(c.Reason, "dormant account: no ") ||
				e.Details["finding"] != float64(f) || e.Details["scan"] != float64(rep.ScanID) {
				t.Errorf("case %+v, requested %+v", c, e.Details)
			}
			if tc.account == "stranger" {
				// A new person, linked by hand by the approver who clicked.
				ls, err := storage.ListAccounts(r.ctx, r.db.Reader(), c.IdentityID)
				if err != nil {
					t.Fatal(err)
				}
				if c.Target.Name != "stranger" || c.Target.SlackUser != "" || len(ls) != 1 ||
					ls[0].LinkedBy != string(connectors.LinkManual) || ls[0].LinkedActor != sec1.ID || ls[0].Scope != "acme" {
					t.Errorf("target %+v linked %+v", c.Target, ls)
				}
				// Due now: discovery reads the linked account's grants.
				if err := r.svc.OpenDue(r.ctx); err != nil {
					t.Fatal(err)
				}
				if as := r.actions(c.ID); len(as) != 1 || as[0].Account != "stranger" || r.load(c.ID).State != storage.CaseOpen {
					t.Errorf("actions %+v", as)
				}
			}
			wantRefusal(t, r.svc.StartFromDormant(r.ctx, sec2, f), AlreadyActedOn)
		})
	}
	r, _, _ := scanRig(t)
	wantRefusal(t, r.svc.StartFromDormant(r.ctx, sec1, 999), UnknownAction)
}

func TestSnooze(t *testing.T) {
	r, _, _ := scanRig(t)
	rep, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "command", Actor: sec1})
	if err != nil {
		t.Fatal(err)
	}
	wantRefusal(t, r.svc.Snooze(r.ctx, manager, finding(t, rep, "oth")), NotApprover)
	wantRefusal(t, r.svc.Snooze(r.ctx, sec1, 999), UnknownAction)
	// Snoozing one of a person's rows snoozes every row of that person.
	if err := r.svc.Snooze(r.ctx, sec1, finding(t, rep, "octo")); err != nil {
		t.Fatal(err)
	}
	until := r.clock.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	var snoozed []string
	for _, e := range r.audit(storage.EventSnoozed) {
		if e.Actor != sec1.ID || e.Details["until"] != until || e.Details["scan"] != float64(rep.ScanID) {
			t.Errorf("snoozed event %+v", e)
		}
		snoozed = append(snoozed, e.Details["system"].(string)+"/"+e.Details["account"].(string))
	}
	if len(snoozed) != 2 || snoozed[0] != "github/octo" || snoozed[1] != "aws/dev" {
		t.Errorf("snoozed %v; want the person's two accounts", snoozed)
	}
	for _, acct := range []string{"octo", "dev"} {
		wantRefusal(t, r.svc.Snooze(r.ctx, sec2, finding(t, rep, acct)), AlreadyActedOn)
		wantRefusal(t, r.svc.StartFromDormant(r.ctx, sec2, finding(t, rep, acct)), AlreadyActedOn)
	}
	// Later scans leave them out for 30 days, then report them again.
	r.clock.Advance(29 * 24 * time.Hour)
	rep, err = r.svc.Scan(r.ctx, ScanInput{Trigger: "schedule", Actor: System})
	if err != nil {
		t.Fatal(err)
	}
	if got := rowsOf(rep); !slices.Equal(got, []row{{"github/acme/oth", other.SlackID, false}, {"github/acme/stranger", "", false}}) {
		t.Errorf("rows while snoozed %+v", got)
	}
	r.clock.Advance(2 * 24 * time.Hour)
	rep, err = r.svc.Scan(r.ctx, ScanInput{Trigger: "schedule", Actor: System})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 4 {
		t.Errorf("%d rows after the snooze ended; want 4", len(rep.Rows))
	}
}

// Nobody snoozes their own dormant finding (as nobody starts their own).
func TestTheTargetCannotSnoozeTheirOwnFinding(t *testing.T) {
	r, _, _ := scanRig(t)
	rep, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "command", Actor: sec1})
	if err != nil {
		t.Fatal(err)
	}
	f := finding(t, rep, "octo")
	before := r.seq()
	wantRefusal(t, r.svc.Snooze(r.ctx, self, f), IsTarget)
	if evs := r.since(before); !slices.Equal(evs, []string{storage.EventRefused}) {
		t.Errorf("events %v; want one refused", evs)
	}
	if e := r.last(storage.EventRefused); e.Details["what"] != "snooze" || e.Details["finding"] != float64(f) {
		t.Errorf("refused event %+v", e.Details)
	}
	if got, _ := storage.LoadFinding(r.ctx, r.db.Reader(), f); got.State != "reported" || r.count("snoozes") != 0 {
		t.Errorf("finding %s, %d snoozes; want reported, none", got.State, r.count("snoozes"))
	}
}

// slackNoter is the Slack connector of a workspace without an admin token:
// it reports no dormant accounts but says what a scan cannot see.
type slackNoter struct{ *conn }

func (slackNoter) ScanNotes() []string {
	return []string{"Slack: no admin token, last activity unknown"}
}

// A scan says what it could not see and which accounts a person must
// check by hand, so that silence is never read as "nothing dormant".
func TestAScanSaysWhatItCannotSeeAndWhatToCheckByHand(t *testing.T) {
	r, gh, iam := scanRig(t)
	gh.dormant = append(gh.dormant, connectors.Dormant{Account: connectors.Account{System: connectors.GitHub, ID: "owner1"},
		Why: "no contributions in 90 days", Check: "org owner: admin work does not show as contributions"})
	r.rebuild(nil, true, slackNoter{r.conn}, gh, iam)
	rep, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "command", Actor: sec1})
	if err != nil {
		t.Fatal(err)
	}
	wantNotes := []string{"Slack: no admin token, last activity unknown", "private contributions are not visible", "private contributions are not visible"}
	notes := slices.Clone(rep.Notes)
	slices.Sort(notes)
	slices.Sort(wantNotes)
	if !slices.Equal(notes, wantNotes) {
		t.Errorf("notes %q; want %q", rep.Notes, wantNotes)
	}
	if len(rep.Checks) != 1 || rep.Checks[0].Account.ID != "owner1" || len(rep.Rows) != 4 {
		t.Errorf("checks %+v with %d rows; want owner1 to check by hand, apart from the 4 dormant rows", rep.Checks, len(rep.Rows))
	}
	for _, d := range rep.Rows {
		if d.Account.ID == "owner1" {
			t.Error("an account to check by hand is reported dormant")
		}
	}
	e := r.last(storage.EventScanRun)
	checks, _ := e.Details["check_by_hand"].([]any)
	if e.Details["dormant"] != 4.0 || len(checks) != 1 ||
		checks[0] != "GitHub · owner1 — org owner: admin work does not show as contributions" || len(e.Details["notes"].([]any)) != 3 {
		t.Errorf("scan_run event %+v", e.Details)
	}
	if n := r.count("dormant_findings"); n != 4 {
		t.Errorf("%d findings; want the 4 dormant rows only", n)
	}
}

// A case started from a dormant Slack account revokes that account's
// Slack access: discovery finds its grants.
func TestACaseStartedFromADormantSlackAccountFindsItsSlackGrants(t *testing.T) {
	sl := &sys{system: connectors.Slack, scope: "T0",
		grants:  map[string][]connectors.Grant{"U0IDLE": {{Kind: "usergroup", Ref: "S9", Title: "user group @old-team"}}},
		dormant: []connectors.Dormant{{Account: connectors.Account{System: connectors.Slack, ID: "U0IDLE"}, Why: "not active in 90 days"}}}
	r := newRigWith(t, rigOptions{extra: []Connector{sl}, noSlack: true})
	rep, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "command", Actor: sec1})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.svc.StartFromDormant(r.ctx, sec1, finding(t, rep, "U0IDLE")); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.OpenDue(r.ctx); err != nil {
		t.Fatal(err)
	}
	c := r.load(r.last(storage.EventRequested).CaseID)
	if n := len(r.actions(c.ID)); n != 1 {
		t.Fatalf("flows/scan.go StartFromDormant gives an unlinked dormant Slack account a new identity with no "+
			"slack_user and only an accounts row (slack/T0/U0IDLE), but flows/discover.go accountsFor asks the Slack "+
			"connector only about Identity.SlackUser: the case found %d Slack grants and ended %s, revoking nothing. "+
			"(The scan likewise never matches a dormant Slack account to an identity that has it as slack_user, since "+
			"LoadAccountOwner reads only the accounts table.) A Slack finding should become the identity's slack_user, "+
			"or accountsFor should also use the identity's linked Slack accounts.", n, c.State)
	}
}

// A dormant Slack account of a person offboard knows is reported as that
// person.
func TestADormantSlackAccountIsReportedAsItsPerson(t *testing.T) {
	sl := &sys{system: connectors.Slack, scope: "T0",
		dormant: []connectors.Dormant{{Account: connectors.Account{System: connectors.Slack, ID: target.SlackID}, Why: "not active in 90 days"}}}
	r := newRigWith(t, rigOptions{cfg: linkedToGitHub(Config{}), extra: []Connector{sl}, noSlack: true})
	if err := r.svc.SyncConfigIdentities(r.ctx); err != nil { // the target's identity has slack_user U0DEV
		t.Fatal(err)
	}
	rep, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "command", Actor: sec1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 1 {
		t.Fatalf("%d rows", len(rep.Rows))
	}
	if rep.Rows[0].Identity == nil {
		t.Fatal("flows/scan.go matches a dormant account to a person only through storage.LoadAccountOwner (the " +
			"accounts table); a Slack account is an identity's slack_user, not an accounts row, so the dormant Slack " +
			"account of a person in the identities file is reported as linked to nobody, and Start offboarding on it " +
			"makes a second identity for the same person.")
	}
	if rep.Rows[0].Identity.SlackUser != target.SlackID {
		t.Errorf("reported as %+v", rep.Rows[0].Identity)
	}
}
