package flows

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/offboard/offboard/storage"
)

func TestRequest(t *testing.T) {
	day := 24 * time.Hour
	cases := []struct {
		name    string
		actor   Actor
		at      time.Duration // from now
		overdue bool
		// wantTrigger "" means the request is refused as not a requester.
		wantTrigger string
		wantEvents  []string
	}{
		{"a requester's request due now is manual", manager, 0, false, storage.TriggerManual,
			[]string{storage.EventRequested}},
		{"a date in the past is overdue and due now", manager, -3 * day, true, storage.TriggerManual,
			[]string{storage.EventRequested}},
		{"a date ahead is scheduled", manager, 2 * day, false, storage.TriggerScheduled,
			[]string{storage.EventRequested, storage.EventScheduled}},
		{"an approver who is not a requester is refused", sec1, 0, false, "", []string{storage.EventRefused}},
		{"anyone else is refused", outsider, 0, false, "", []string{storage.EventRefused}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			at := r.clock.Now().Add(tc.at)
			c, err := r.svc.Request(r.ctx, tc.actor, RequestInput{Target: target, At: at, Overdue: tc.overdue, Reason: "contract ends"})
			if got := r.since(0); !slices.Equal(got, tc.wantEvents) {
				t.Errorf("events %v; want %v", got, tc.wantEvents)
			}
			if tc.wantTrigger == "" {
				wantRefusal(t, err, NotRequester)
				if !errors.Is(err, ErrNotRequester) {
					t.Error("errors.Is(err, ErrNotRequester) is false")
				}
				e := r.last(storage.EventRefused)
				if e.Actor != tc.actor.ID || e.Details["what"] != "request" || e.Details["why"] != NotRequester.String() {
					t.Errorf("refused event %+v", e)
				}
				if r.count("cases") != 0 {
					t.Error("a refused request made a case")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := r.load(c.ID)
			if got.State != storage.CaseScheduled || got.Trigger != tc.wantTrigger || got.Overdue != tc.overdue ||
				got.Requester != tc.actor.ID || got.Reason != "contract ends" || !got.EffectiveAt.Equal(at) {
				t.Errorf("case %+v", got)
			}
			e := r.last(storage.EventRequested)
			if e.CaseID != c.ID || e.Actor != tc.actor.ID || e.Details["target"] != target.SlackID ||
				e.Details["trigger"] != tc.wantTrigger || e.Details["overdue"] != tc.overdue ||
				e.Details["effective_at"] != at.UTC().Format(time.RFC3339) {
				t.Errorf("requested event %+v", e)
			}
			// Due now (overdue included) opens at the next pass; ahead does not.
			if err := r.svc.OpenDue(r.ctx); err != nil {
				t.Fatal(err)
			}
			wantState := storage.CaseCompleted // no grants: it completes at once
			if tc.at > 0 {
				wantState = storage.CaseScheduled
			}
			if s := r.load(c.ID).State; s != wantState {
				t.Errorf("after a pass the case is %s; want %s", s, wantState)
			}
		})
	}
}

func TestASecondRequestForThePersonIsADuplicateOfTheFirst(t *testing.T) {
	r := newRig(t, Config{})
	first := r.request(manager, target)
	before := r.seq()
	c, err := r.svc.Request(r.ctx, manager2, RequestInput{Target: target, At: r.clock.Now().Add(time.Hour)})
	ref := wantRefusal(t, err, Duplicate)
	if ref.Case.ID != first.ID || c.ID != first.ID {
		t.Errorf("refusal names case %d (returned %d); want the existing %d", ref.Case.ID, c.ID, first.ID)
	}
	if got := r.since(before); !slices.Equal(got, []string{storage.EventRefused}) {
		t.Errorf("events %v; want one refused", got)
	}
	e := r.last(storage.EventRefused)
	if e.CaseID != first.ID || e.Actor != manager2.ID || e.Details["why"] != Duplicate.String() || e.Details["target"] != target.SlackID {
		t.Errorf("refused event %+v", e)
	}
	if n := r.count("cases"); n != 1 {
		t.Errorf("%d cases; want 1", n)
	}
	// Once the first is over, the person may be requested again.
	if _, err := r.svc.Cancel(r.ctx, manager, target.SlackID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.Request(r.ctx, manager2, RequestInput{Target: target, At: r.clock.Now()}); err != nil {
		t.Errorf("a request after the first was cancelled: %v", err)
	}
}

func TestAnApproverMayRequestOnlyFromADormancyReport(t *testing.T) {
	r := newRig(t, Config{})
	_, err := r.svc.Request(r.ctx, sec1, RequestInput{Target: target, Trigger: storage.TriggerDormant})
	if err != nil {
		t.Fatalf("an approver's dormant request: %v", err)
	}
	c := r.last(storage.EventRequested)
	if c.Details["trigger"] != storage.TriggerDormant {
		t.Errorf("trigger %v; want dormant", c.Details["trigger"])
	}
}

func TestRefusalsMatchTheirKindAndSayIt(t *testing.T) {
	err := error(&Refusal{Kind: TwoPerson, Verb: "approve"})
	if !errors.Is(err, ErrTwoPerson) || errors.Is(err, ErrNotApprover) {
		t.Error("errors.Is does not match refusals by kind")
	}
	if err.Error() != "refused: two-person rule" {
		t.Errorf("Error() = %q", err.Error())
	}
	if RefusalKind(999).String() != "refused" {
		t.Error("an unknown kind has no fallback word")
	}
	if _, ok := Refused(errors.New("disk full")); ok {
		t.Error("a failure was taken for a refusal")
	}
}
