package flows

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// reminded lists, per reminded event, the case and the action IDs it names.
func (r *rig) reminded() [][]int64 {
	r.t.Helper()
	var out [][]int64
	for _, e := range r.audit(storage.EventReminded) {
		row := []int64{e.CaseID}
		for _, v := range e.Details["actions"].([]any) {
			row = append(row, int64(v.(float64)))
		}
		out = append(out, row)
	}
	return out
}

func TestRemindersComeAfterTheDelayThenOnceADay(t *testing.T) {
	r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "A"}, connectors.Grant{Kind: "usergroup", Ref: "B"})
	c := r.open() // 09:00
	a, b := r.actions(c.ID)[0].ID, r.actions(c.ID)[1].ID
	r.clock.Advance(2 * time.Hour)
	o := r.openFor(manager, other) // 11:00
	oa := r.actions(o.ID)
	if err := r.svc.Approve(r.ctx, sec1, o.ID, oa[1].ID); err != nil { // approved rows are not reminded
		t.Fatal(err)
	}

	var want [][]int64
	steps := []struct {
		to   time.Duration // since 09:00
		more [][]int64     // the reminders this tick adds
	}{
		{3*time.Hour + 59*time.Minute, nil},
		{4 * time.Hour, [][]int64{{c.ID, a, b}}},
		{5 * time.Hour, nil},
		{6 * time.Hour, [][]int64{{o.ID, oa[0].ID}}},
		{27*time.Hour + 59*time.Minute, nil},
		{28 * time.Hour, [][]int64{{c.ID, a, b}}},
		{30 * time.Hour, [][]int64{{o.ID, oa[0].ID}}},
	}
	start := r.clock.Now().Add(-2 * time.Hour)
	for _, st := range steps {
		r.clock.Advance(start.Add(st.to).Sub(r.clock.Now()))
		if err := r.svc.Tick(r.ctx); err != nil {
			t.Fatal(err)
		}
		want = append(want, st.more...)
		if got := r.reminded(); !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("at 09:00+%s reminders %v; want %v", st.to, got, want)
		}
	}
	if got := r.action(a).RemindedAt; !got.Equal(start.Add(28 * time.Hour)) {
		t.Errorf("reminded at %v", got)
	}
	// A decided action is reminded no more; the rest still are.
	if err := r.svc.Approve(r.ctx, sec1, c.ID, b); err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(24 * time.Hour)
	if err := r.svc.Tick(r.ctx); err != nil {
		t.Fatal(err)
	}
	got := r.reminded()
	if last := got[len(got)-2]; !slices.Equal(last, []int64{c.ID, a}) {
		t.Errorf("the next day's reminder %v; want only the action still waiting", last)
	}
}

func TestTheSchedulerOpensDueCasesAtStartAndWhenWoken(t *testing.T) {
	r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "A"})
	first := r.request(manager, target) // due before the scheduler starts
	ctx, cancel := context.WithCancel(r.ctx)
	done := make(chan error, 1)
	go func() { done <- r.svc.RunScheduler(ctx, time.Minute) }()
	r.waitFor("the first case to open", func() bool { return r.load(first.ID).State == storage.CaseOpen })
	second := r.request(manager, other) // due now: wakes the scheduler
	r.waitFor("the second case to open", func() bool { return r.load(second.ID).State == storage.CaseOpen })
	later, err := r.svc.Request(r.ctx, manager, RequestInput{Target: Person{SlackID: "U0LATER"}, At: r.clock.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("RunScheduler = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the scheduler did not stop")
	}
	if s := r.load(later.ID).State; s != storage.CaseScheduled {
		t.Errorf("a case due in an hour is %s", s)
	}
}

func TestTheSchedulerRefusesABadDormancySchedule(t *testing.T) {
	r := newRig(t, Config{})
	cfg := r.svc.cfg
	cfg.Dormancy.Schedule = "every night"
	s := New(Options{DB: r.db, Config: cfg, Logger: zerolog.Nop(), Clock: r.clock.Now})
	if err := s.RunScheduler(r.ctx, 0); err == nil {
		t.Fatal("RunScheduler accepted a schedule that is not cron")
	}
}
