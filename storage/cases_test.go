package storage

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestIdentitiesAreFoundOrCreatedAndKeepWhatIsKnown(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var first, again Identity
	write(t, db, func(ctx context.Context, tx *Tx) (err error) {
		first, err = tx.IdentityBySlack(ctx, "U1", "Dana", "dana@example.com")
		return err
	})
	write(t, db, func(ctx context.Context, tx *Tx) (err error) {
		again, err = tx.IdentityBySlack(ctx, "U1", "", "") // a lookup that learned nothing new
		return err
	})
	if again != first || first.Name != "Dana" || first.Email != "dana@example.com" {
		t.Errorf("second lookup = %+v; want the first %+v unchanged", again, first)
	}
	var loose Identity
	write(t, db, func(ctx context.Context, tx *Tx) (err error) {
		loose, err = tx.NewIdentity(ctx, "dev-gh", "")
		return err
	})
	got, err := LoadIdentity(ctx, db.Reader(), loose.ID)
	if err != nil || got.SlackUser != "" || got.Name != "dev-gh" {
		t.Errorf("identity without Slack = %+v, %v", got, err)
	}
	if _, err := LoadIdentity(ctx, db.Reader(), 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown identity: %v; want ErrNotFound", err)
	}
}

func TestALinkByHandIsNeverMovedByAnEmailMatch(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var dana, eve Identity
	write(t, db, func(ctx context.Context, tx *Tx) (err error) {
		if dana, err = tx.IdentityBySlack(ctx, "U1", "Dana", ""); err != nil {
			return err
		}
		eve, err = tx.IdentityBySlack(ctx, "U2", "Eve", "")
		return err
	})
	link := func(l AccountLink) bool {
		var changed bool
		write(t, db, func(ctx context.Context, tx *Tx) (err error) {
			changed, err = tx.Link(ctx, l)
			var elsewhere *LinkedElsewhere
			if errors.As(err, &elsewhere) {
				return nil // refused: the account stays where it is
			}
			return err
		})
		return changed
	}
	gh := AccountLink{System: "github", Account: "dana-gh"}
	steps := []struct {
		name        string
		to          Identity
		by          string
		wantChanged bool
		wantOwner   Identity
	}{
		{"a new link", dana, "manual", true, dana},
		{"the same link again", dana, "manual", false, dana},
		{"an email match elsewhere does not move a manual link", eve, "email-match", false, dana},
		{"a link by hand elsewhere does not move it either (a second approver must)", eve, "manual", false, dana},
		{"a link by config moves it", eve, "config", true, eve},
	}
	for _, s := range steps {
		l := gh
		l.IdentityID, l.LinkedBy, l.LinkedActor = s.to.ID, s.by, "U0SEC"
		if got := link(l); got != s.wantChanged {
			t.Errorf("%s: changed=%v; want %v", s.name, got, s.wantChanged)
		}
		owner, err := LoadAccountOwner(ctx, db.Reader(), "github", "", "dana-gh")
		if err != nil || owner.IdentityID != s.wantOwner.ID {
			t.Errorf("%s: owner %+v, %v; want identity %d", s.name, owner, err, s.wantOwner.ID)
		}
	}
	accts, err := ListAccounts(ctx, db.Reader(), eve.ID)
	if err != nil || len(accts) != 1 || accts[0].Account != "dana-gh" || accts[0].LinkedBy != "config" {
		t.Errorf("eve's accounts = %+v, %v", accts, err)
	}
	if _, err := LoadAccountOwner(ctx, db.Reader(), "aws", "1", "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unlinked account: %v; want ErrNotFound", err)
	}
}

func TestCasesMoveByCompareAndSwapAndOnePersonHasOneActiveCase(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	now := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return now })
	c := newCase(t, db, "U1", CaseScheduled)
	if !c.Active() || c.ID == 0 || !c.RequestedAt.Equal(now) {
		t.Fatalf("new case = %+v", c)
	}
	// A second request for the same person is refused by the database.
	write(t, db, func(ctx context.Context, tx *Tx) error {
		dup := Case{IdentityID: c.IdentityID, Requester: "U0MGR", Trigger: TriggerManual, State: CaseOpen}
		if err := tx.InsertCase(ctx, &dup); !errors.Is(err, ErrDuplicateCase) {
			t.Errorf("second active case: %v; want ErrDuplicateCase", err)
		}
		return nil
	})
	if due, err := DueCases(ctx, db.Reader(), now); err != nil || len(due) != 1 || due[0] != c.ID {
		t.Errorf("due at its time = %v, %v", due, err)
	}
	if due, _ := DueCases(ctx, db.Reader(), now.Add(-time.Minute)); len(due) != 0 {
		t.Errorf("due a minute before = %v", due)
	}
	move := func(from, to string) bool {
		var ok bool
		write(t, db, func(ctx context.Context, tx *Tx) (err error) {
			ok, err = tx.SetCaseState(ctx, c.ID, from, to, "U0SEC")
			return err
		})
		return ok
	}
	if !move(CaseScheduled, CaseOpen) || move(CaseScheduled, CaseOpen) {
		t.Error("opening twice: want the first to win and the second to lose")
	}
	write(t, db, func(ctx context.Context, tx *Tx) error {
		return tx.SetCaseNotes(ctx, c.ID, []string{"aws: could not read account 2"})
	})
	got, err := ActiveCaseOfSlackUser(ctx, db.Reader(), "U1")
	if err != nil || got.State != CaseOpen || !got.OpenedAt.Equal(now) || len(got.Notes) != 1 || got.Target.SlackUser != "U1" || got.Target.Email != "U1@example.com" {
		t.Errorf("active case of U1 = %+v, %v", got, err)
	}
	if byID, _ := ActiveCase(ctx, db.Reader(), c.IdentityID); byID.ID != c.ID {
		t.Errorf("active case by identity = %+v", byID)
	}
	if !move(CaseOpen, CaseCompleted) {
		t.Fatal("completing the open case failed")
	}
	got, _ = LoadCase(ctx, db.Reader(), c.ID)
	if got.State != CaseCompleted || got.ClosedBy != "U0SEC" || !got.ClosedAt.Equal(now) || got.Active() {
		t.Errorf("completed case = %+v", got)
	}
	if _, err := ActiveCaseOfSlackUser(ctx, db.Reader(), "U1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("active case after completion: %v; want ErrNotFound", err)
	}
	// The person may be offboarded again once the first case is closed.
	c2 := newCase(t, db, "U1", CaseScheduled)
	write(t, db, func(ctx context.Context, tx *Tx) error {
		_, err := tx.SetCaseState(ctx, c2.ID, CaseScheduled, CaseScheduled, "")
		return err
	})
	newCase(t, db, "U2", CaseOpen)
	all, _ := ListCases(ctx, db.Reader(), 10)
	open, _ := ListCases(ctx, db.Reader(), 10, CaseOpen, CaseScheduled)
	if len(all) != 3 || len(open) != 2 {
		t.Errorf("cases: %d in all, %d open or scheduled; want 3 and 2", len(all), len(open))
	}
	if _, err := LoadCase(ctx, db.Reader(), 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown case: %v", err)
	}
}
