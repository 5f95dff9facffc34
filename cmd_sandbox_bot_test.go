package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	simco "github.com/offboard/offboard/sandbox/company"
	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/storage"
)

// The page's clock buttons lean on sandboxBot: what is due next, and doing
// it when the clock gets there. This drives the bot through the fake
// Slack's driver, as the page does, and moves the clock as the buttons do.
func TestTheSandboxClockBringsDueCasesScansAndHeldRowsBack(t *testing.T) {
	co, err := startCompany()
	if err != nil {
		t.Fatal(err)
	}
	defer co.close()
	link := &sandboxBot{clock: co.clock}
	e := cliEnv{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	s, err := co.setup(e, filepath.Join(t.TempDir(), "offboard.db"), link)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = runBot(ctx, s.env, s.setup) }()
	defer func() { cancel(); wg.Wait() }()
	fs := co.slack
	if err := fs.WaitSockets(1, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	b := link.get()
	jump := func(want string) {
		t.Helper()
		at, what, ok := b.NextDue(ctx, co.clock.Now())
		if !ok || !strings.Contains(what, want) {
			t.Fatalf("next due = %q at %v; want %q", what, at, want)
		}
		co.clock.AdvanceTo(at.Add(time.Second))
		b.Tick(ctx)
	}
	if _, err := fs.SlashTyped(simco.Maria, simco.Approvals, "@dana on tomorrow"); err != nil {
		t.Fatal(err)
	}
	wait := func(what string, cond func() bool) {
		t.Helper()
		if err := fs.WaitFor(20*time.Second, cond); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}
	cases := func(state string) int {
		cs, _ := storage.ListCases(ctx, link.p().db.Reader(), 10, state)
		return len(cs)
	}
	wait("the scheduled case", func() bool { return cases(storage.CaseScheduled) == 1 })

	jump("nightly dormancy scan") // 03:00 comes before 09:00
	wait("the scan report", func() bool {
		for _, m := range fs.Messages(simco.Approvals) {
			if strings.Contains(string(m.Blocks), "Dormancy scan") {
				return true
			}
		}
		return false
	})
	jump("case #1 becomes due")
	checklist := func(m fakeslack.Message) bool { return strings.Contains(m.Text, "Checklist") }
	wait("the case to open", func() bool { return cases(storage.CaseOpen) == 1 })

	// Alex holds the console password until the day after; the jump
	// brings it back for a decision.
	var where fakeslack.Where
	wait("the password row", func() bool {
		where = fakeslack.InLatest(simco.Approvals, func(m fakeslack.Message) bool {
			return checklist(m) && strings.Contains(string(m.Blocks), "console password")
		})
		_, err := fs.ClickButton(simco.Alex, where, func(bt fakeslack.Button) bool {
			return bt.Text == "Hold" && strings.HasPrefix(bt.BlockID, "a3")
		})
		return err == nil
	})
	wait("the hold modal", func() bool { _, ok := fs.OpenView(simco.Alex); return ok })
	until := co.clock.Now().In(mustLocation("Europe/Berlin")).AddDate(0, 0, 1).Format(time.DateOnly)
	if _, err := fs.SubmitView(simco.Alex, map[string]fakeslack.Input{"reason": {Value: "waiting for IT"}, "until": {SelectedDate: until}}); err != nil {
		t.Fatal(err)
	}
	held := func() bool {
		as, _ := storage.ActionsInState(ctx, link.p().db.Reader(), storage.ActionHeld, 100)
		return len(as) == 1
	}
	wait("the row held", held)
	for range 3 {
		at, what, _ := b.NextDue(ctx, co.clock.Now())
		if strings.Contains(what, "held row") {
			break
		}
		co.clock.AdvanceTo(at.Add(time.Second)) // reminders, scans come first
		b.Tick(ctx)
	}
	jump("held row of case #1 comes back")
	wait("the row back for a decision", func() bool { return !held() })
}
