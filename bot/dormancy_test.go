package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/sandbox/fakeaws"
	"github.com/offboard/offboard/sandbox/fakegithub"
	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/storage"
)

func TestTheDormancyReportStartsOffboardingsAndRemembersSnoozes(t *testing.T) {
	w := newWorld(t, worldOptions{config: func(c *flows.Config) {
		c.Identities = append(c.Identities, flows.IdentityConfig{Slack: outsider, GitHub: "old-gh", AWS: "old"})
	}})
	long := t0.AddDate(-2, 0, 0)
	w.gh.AddMember(org, fakegithub.Member{Login: "old-gh", CreatedAt: long, JoinedAt: long})
	w.gh.AddMember(org, fakegithub.Member{Login: "idle-gh", CreatedAt: long, JoinedAt: long})
	w.gh.AddContribution(org, "boss", t0.Add(-24*time.Hour), 1)
	w.gh.AddContribution(org, "dev-gh", t0.Add(-24*time.Hour), 1)
	pw := t0.AddDate(0, 0, -200)
	_, err := w.iam.AddUser(awsAcct, fakeaws.User{Name: "old", Created: long, PasswordLastUsed: &pw, LoginProfile: &fakeaws.LoginProfile{}})
	must(t, err)

	w.slash(manager, "/offboard scan")
	if !strings.Contains(w.lastEphemeral(manager), "Only approvers") {
		t.Errorf("a requester could scan: %q", w.lastEphemeral(manager))
	}
	w.slash(sec1, "/offboard scan")
	reports := w.topLevel("Dormancy scan")
	if len(reports) != 1 {
		t.Fatalf("%d report messages", len(reports))
	}
	text := reports[0].AllText()
	for _, want := range []string{"GitHub · acme · old-gh", "AWS · 123456789012 · old", "linked to <@" + outsider + ">", "GitHub · acme · idle-gh", "not linked to anyone"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	for _, notDormant := range []string{"dev-gh", "· dev ", "boss"} {
		if strings.Contains(text, notDormant) {
			t.Errorf("the report lists an active account %q", notDormant)
		}
	}
	// Olly's two dormant accounts are one row, with one pair of buttons.
	if strings.Count(text, "linked to <@"+outsider+">") != 1 {
		t.Errorf("olly is reported more than once")
	}

	var ollyRow, idleRow string
	for _, b := range reports[0].Buttons() {
		blockText := blockTextOf(reports[0], strings.TrimSuffix(b.BlockID, ".act")+".row")
		if strings.Contains(blockText, "old-gh") {
			ollyRow = b.BlockID
		}
		if strings.Contains(blockText, "idle-gh") {
			idleRow = b.BlockID
		}
	}
	env, err := w.slack.ClickButton(sec1, fakeslack.InMessage(channel, reports[0].TS), fakeslack.LabelIn(ollyRow, "Start offboarding"))
	must(t, err)
	w.slack.WaitAck(env, 10*time.Second)
	w.settle()
	cs := w.cases()
	if len(cs) != 1 || cs[0].Trigger != storage.TriggerDormant || cs[0].Target.SlackUser != outsider || cs[0].Requester != sec1 {
		t.Fatalf("cases after Start offboarding: %+v", cs)
	}
	w.waitFor("the dormant case to open", 10*time.Second, func() bool { return w.caseOf(cs[0].ID).State == storage.CaseOpen })
	if m, _ := w.slack.Message(channel, reports[0].TS); !strings.Contains(m.AllText(), "Offboarding started") {
		t.Error("the report row does not say the offboarding started")
	}

	env, err = w.slack.ClickButton(sec2, fakeslack.InMessage(channel, reports[0].TS), fakeslack.LabelIn(idleRow, "Snooze 30 days"))
	must(t, err)
	w.slack.WaitAck(env, 10*time.Second)
	w.settle()
	w.slash(sec2, "/offboard scan")
	again := w.topLevel("Dormancy scan")
	if len(again) != 2 {
		t.Fatalf("%d reports after the second scan", len(again))
	}
	if strings.Contains(again[1].AllText(), "idle-gh") {
		t.Error("a snoozed account was reported again")
	}
	w.clock.Advance(31 * 24 * time.Hour)
	w.slash(sec2, "/offboard scan")
	third := w.topLevel("Dormancy scan")
	if !strings.Contains(third[len(third)-1].AllText(), "idle-gh") {
		t.Error("the snooze did not end after 30 days")
	}
}

// blockTextOf is the text of one block of a message.
func blockTextOf(m fakeslack.Message, blockID string) string {
	bs, err := m.SlackBlocks()
	if err != nil {
		return ""
	}
	for _, b := range bs.BlockSet {
		if b.ID() != blockID {
			continue
		}
		return fakeslack.BlockText(mustJSON(b))
	}
	return ""
}

func TestOnlyOneScanRunsAtATimeAcrossProcesses(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.gh.SetLatency(300 * time.Millisecond)
	// A second process: its own database handle on the same file.
	db2, err := storage.Open(context.Background(), w.db.Path())
	must(t, err)
	defer db2.Close()
	other := flows.New(flows.Options{DB: db2, Config: w.cfg, Connectors: w.conns, Logger: zerolog.Nop(), Clock: w.clock.Now})
	errs := make(chan error, 2)
	for _, svc := range []*flows.Service{w.svc, other} {
		go func(svc *flows.Service) {
			_, err := svc.Scan(context.Background(), flows.ScanInput{Trigger: "test", Actor: flows.System})
			errs <- err
		}(svc)
	}
	e1, e2 := <-errs, <-errs
	running := 0
	for _, err := range []error{e1, e2} {
		switch {
		case errors.Is(err, flows.ErrScanRunning):
			running++
		case err != nil:
			t.Fatal(err)
		}
	}
	if running != 1 {
		t.Errorf("%d of two simultaneous scans were refused; want exactly 1", running)
	}
	var runs int
	w.db.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM scan_runs`).Scan(&runs)
	if runs != 1 {
		t.Errorf("%d scans recorded; want 1", runs)
	}
	// Once it is done, the next may run.
	if _, err := other.Scan(context.Background(), flows.ScanInput{Trigger: "test", Actor: flows.System}); err != nil {
		t.Errorf("a scan after the first ended: %v", err)
	}
}
