package flows

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

const scanLease = "dormancy-scan"

// ScanInput says who asked for a scan and whether to record it.
type ScanInput struct {
	Trigger string // schedule, command, cli
	Actor   Actor
	// DryRun reports without recording the scan or posting the report.
	DryRun bool
}

// DormantRow is one dormant account in a report.
type DormantRow struct {
	connectors.Dormant
	// Identity is the person the account is linked to, if any.
	Identity *storage.Identity
	// WholePerson is set when every account linked to Identity is dormant:
	// the person, not only the account, looks gone.
	WholePerson bool
	FindingID   int64
}

// Report is the result of a dormancy scan.
type Report struct {
	ScanID       int64
	GeneratedAt  time.Time
	InactiveDays int
	Rows         []DormantRow
	// Failed lists the systems that could not be scanned, with why.
	Failed []string
	// Notes say what the scan could not see (connectors' ScanNotes).
	Notes []string
	// Checks are accounts a person must check by hand rather than call
	// dormant (an org owner whose admin work shows no contributions).
	Checks []connectors.Dormant
}

// Scan reports dormant accounts. Only one scan runs at a
// time, across processes (a lease in the database). Unless it is a dry run,
// the scan is recorded and its report posted.
func (s *Service) Scan(ctx context.Context, in ScanInput) (Report, error) {
	var rep Report
	got, err := s.withLease(ctx, scanLease, func(ctx context.Context) error {
		var err error
		rep, err = s.scanLeased(ctx, in)
		return err
	})
	if err == nil && !got {
		return rep, ErrScanRunning
	}
	return rep, err
}

func (s *Service) scanLeased(ctx context.Context, in ScanInput) (Report, error) {
	now := s.now()
	rep := Report{GeneratedAt: now, InactiveDays: s.cfg.Dormancy.InactiveDays}
	type result struct {
		found []connectors.Dormant
		notes []string
		err   error
		conn  Connector
	}
	var reporters []Connector
	for _, c := range s.conns {
		if _, ok := c.(DormancyReporter); ok {
			reporters = append(reporters, c)
		}
	}
	results := make([]result, len(reporters))
	var g errgroup.Group
	for i, c := range reporters {
		g.Go(func() error {
			found, err := c.(DormancyReporter).Dormant(ctx, now, s.cfg.Dormancy.InactiveDays)
			results[i] = result{found: found, err: err, conn: c}
			if n, ok := c.(ScanNoter); ok {
				results[i].notes = n.ScanNotes()
			}
			return nil // a system that fails is reported, not fatal
		})
	}
	g.Wait()
	for _, c := range s.conns {
		if _, ok := c.(DormancyReporter); !ok {
			if n, ok := c.(ScanNoter); ok {
				rep.Notes = append(rep.Notes, n.ScanNotes()...)
			}
		}
	}

	snoozed, err := storage.Snoozed(ctx, s.reader(), now)
	if err != nil {
		return rep, err
	}
	dormantSet := map[string]bool{}
	var all []connectors.Dormant
	for _, r := range results {
		rep.Notes = append(rep.Notes, r.notes...)
		if r.err != nil {
			rep.Failed = append(rep.Failed, fmt.Sprintf("%s%s: %v", r.conn.System().Title(), scopeWords(r.conn), r.err))
			continue
		}
		for _, d := range r.found {
			if d.Account.Scope == "" {
				d.Account.Scope = r.conn.Scope()
			}
			k := key(d.Account)
			if snoozed[k] {
				continue
			}
			if d.Check != "" {
				rep.Checks = append(rep.Checks, d)
				continue
			}
			dormantSet[k] = true
			all = append(all, d)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return key(all[i].Account) < key(all[j].Account) })
	q := s.reader()
	for _, d := range all {
		row := DormantRow{Dormant: d}
		if ident, err := s.ownerOf(ctx, q, d.Account); err == nil {
			row.Identity = &ident
			links, _ := storage.ListAccounts(ctx, q, ident.ID)
			row.WholePerson = len(links) > 0
			for _, l := range links {
				if !dormantSet[l.System+"/"+l.Scope+"/"+l.Account] {
					row.WholePerson = false
				}
			}
		}
		rep.Rows = append(rep.Rows, row)
	}
	if in.DryRun {
		return rep, nil
	}
	err = s.db.Write(ctx, func(tx *storage.Tx) error {
		id, err := tx.StartScan(ctx, in.Trigger, in.Actor.ID)
		if err != nil {
			return err
		}
		rep.ScanID = id
		for i := range rep.Rows {
			r := &rep.Rows[i]
			f := storage.Finding{ScanID: id, System: string(r.Account.System), Scope: r.Account.Scope, Account: r.Account.ID, Why: r.Why}
			if r.Identity != nil {
				f.IdentityID = r.Identity.ID
			}
			if r.LastActivity != nil {
				f.LastActivity = *r.LastActivity
			}
			if err := tx.InsertFinding(ctx, &f); err != nil {
				return err
			}
			r.FindingID = f.ID
		}
		state := "done"
		if len(rep.Failed) > 0 {
			state = "failed"
		}
		if err := tx.FinishScan(ctx, id, state, fmt.Sprintf("%d dormant", len(rep.Rows))); err != nil {
			return err
		}
		var checks []string
		for _, d := range rep.Checks {
			checks = append(checks, fmt.Sprintf("%s · %s — %s", d.Account.System.Title(), d.Account.ID, d.Check))
		}
		return tx.Audit(ctx, &storage.Event{Type: storage.EventScanRun, Actor: in.Actor.ID,
			Details: storage.Details(map[string]any{"scan": id, "trigger": in.Trigger, "dormant": len(rep.Rows), "inactive_days": rep.InactiveDays,
				"failed": rep.Failed, "notes": rep.Notes, "check_by_hand": checks})})
	})
	return rep, err
}

func key(a connectors.Account) string { return string(a.System) + "/" + a.Scope + "/" + a.ID }

// ownerOf finds the person an account belongs to: through its link, or,
// for a Slack account, as the person whose Slack user it is.
func (s *Service) ownerOf(ctx context.Context, q storage.Querier, a connectors.Account) (storage.Identity, error) {
	l, err := storage.LoadAccountOwner(ctx, q, string(a.System), a.Scope, a.ID)
	if err == nil {
		return storage.LoadIdentity(ctx, q, l.IdentityID)
	}
	if errors.Is(err, storage.ErrNotFound) && a.System == connectors.Slack {
		return storage.IdentityOfSlackUser(ctx, q, a.ID)
	}
	return storage.Identity{}, err
}

// RequestScan runs a scan for /offboard scan (approvers only); the report
// is posted when it ends. A scan already running is a ScanRunning refusal.
func (s *Service) RequestScan(ctx context.Context, actor Actor) error {
	if !actor.Approver {
		return s.refuse(ctx, actor, refused(NotApprover, "scan"), nil)
	}
	_, err := s.Scan(ctx, ScanInput{Trigger: "command", Actor: actor})
	return err
}

// findingFor loads the report row an approver acts on (verb): only
// approvers act on a dormancy report, and a row that is not there is an
// unknown action.
func (s *Service) findingFor(ctx context.Context, actor Actor, verb string, findingID int64) (storage.Finding, error) {
	if !actor.Approver {
		return storage.Finding{}, s.refuse(ctx, actor, refused(NotApprover, verb), nil)
	}
	f, err := storage.LoadFinding(ctx, s.reader(), findingID)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Finding{}, refused(UnknownAction, verb)
	}
	return f, err
}

// StartFromDormant opens a case from a row of a dormancy report (trigger
// dormant). The approver who clicks is its requester.
func (s *Service) StartFromDormant(ctx context.Context, actor Actor, findingID int64) error {
	const verb = "start offboarding"
	f, err := s.findingFor(ctx, actor, verb, findingID)
	if err != nil {
		return err
	}
	var answer *Refusal
	err = s.db.Write(ctx, func(tx *storage.Tx) error {
		answer = nil
		ok, err := tx.SetFindingState(ctx, f.ID, "started")
		if err != nil {
			return err
		}
		if !ok {
			answer = refused(AlreadyActedOn, verb)
			return nil
		}
		var ident storage.Identity
		if f.IdentityID != 0 {
			ident, err = storage.LoadIdentity(ctx, tx, f.IdentityID)
		} else if f.System == string(connectors.Slack) {
			// A Slack account is the person's Slack user, which discovery
			// asks Slack about; a link would not be.
			ident, err = tx.IdentityBySlack(ctx, f.Account, "", "")
		} else {
			ident, err = tx.NewIdentity(ctx, f.Account, "")
			if err == nil {
				_, err = tx.Link(ctx, storage.AccountLink{IdentityID: ident.ID, System: f.System, Scope: f.Scope, Account: f.Account,
					LinkedBy: string(connectors.LinkManual), LinkedActor: actor.ID})
			}
		}
		if err != nil {
			return err
		}
		if own, err := s.isTarget(ctx, tx, ident.ID, actor.ID); err != nil || own {
			if own {
				return ErrTarget
			}
			return err
		}
		in := RequestInput{Target: Person{SlackID: ident.SlackUser, Name: ident.Name}, At: s.now(), Trigger: storage.TriggerDormant,
			Reason: "dormant account: " + f.Why, Finding: f}
		_, existing, err := s.insertCase(ctx, tx, actor, ident, in)
		if errors.Is(err, storage.ErrDuplicateCase) {
			answer = &Refusal{Kind: Duplicate, Verb: verb, Case: existing}
			return tx.Audit(ctx, &storage.Event{Type: storage.EventRefused, CaseID: existing.ID, Actor: actor.ID,
				Details: storage.Details(map[string]any{"what": verb, "why": Duplicate.String(), "finding": f.ID})})
		}
		return err
	})
	if errors.Is(err, ErrTarget) {
		return s.refuse(ctx, actor, refused(IsTarget, verb), nil)
	}
	if err != nil {
		return err
	}
	if answer != nil {
		return answer
	}
	poke(s.wake)
	return nil
}

// Snooze keeps a report row's account (or every account of its person)
// out of the next scans for 30 days.
func (s *Service) Snooze(ctx context.Context, actor Actor, findingID int64) error {
	const verb = "snooze"
	f, err := s.findingFor(ctx, actor, verb, findingID)
	if err != nil {
		return err
	}
	// Nobody snoozes their own dormant account, linked or not.
	own := f.System == string(connectors.Slack) && f.Account == actor.ID
	if !own && f.IdentityID != 0 {
		if own, err = s.isTarget(ctx, s.reader(), f.IdentityID, actor.ID); err != nil {
			return err
		}
	}
	if own {
		return s.refuse(ctx, actor, refused(IsTarget, verb), map[string]any{"finding": f.ID})
	}
	until := s.now().Add(30 * 24 * time.Hour)
	var answer *Refusal
	err = s.db.Write(ctx, func(tx *storage.Tx) error {
		answer = nil
		ok, err := tx.SetFindingState(ctx, f.ID, "snoozed")
		if err != nil {
			return err
		}
		if !ok {
			answer = refused(AlreadyActedOn, verb)
			return nil
		}
		rows := []storage.Finding{f}
		if f.IdentityID != 0 {
			all, err := storage.ListFindings(ctx, tx, f.ScanID)
			if err != nil {
				return err
			}
			for _, o := range all {
				if o.ID != f.ID && o.IdentityID == f.IdentityID {
					tx.SetFindingState(ctx, o.ID, "snoozed")
					rows = append(rows, o)
				}
			}
		}
		for _, r := range rows {
			if err := tx.Snooze(ctx, r.System, r.Scope, r.Account, actor.ID, until); err != nil {
				return err
			}
			if err := tx.Audit(ctx, &storage.Event{Type: storage.EventSnoozed, Actor: actor.ID,
				Details: storage.Details(map[string]any{"system": r.System, "scope": r.Scope, "account": r.Account,
					"until": until.UTC().Format(time.RFC3339), "scan": f.ScanID, "finding": r.ID})}); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && answer != nil {
		return answer
	}
	return err
}
