package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/storage"
)

func TestCancellingAnOpenCaseSkipsWhatWasNotExecuted(t *testing.T) {
	w := newWorld(t, worldOptions{})
	id := w.openCase(manager)
	w.click(sec1, w.action(id, "membership").ID, "Approve")
	w.waitActions(id, "the membership to go", func([]storage.Action) bool { return w.action(id, "membership").State == storage.ActionDone })
	w.slash(outsider, "/offboard cancel @dana")
	if !strings.Contains(w.lastEphemeral(outsider), "Only the requester") || w.caseOf(id).State != storage.CaseOpen {
		t.Fatal("an outsider could cancel")
	}
	w.slash(manager, "/offboard cancel @dana")
	c := w.caseOf(id)
	if c.State != storage.CaseCancelled || c.ClosedBy != manager {
		t.Fatalf("case after cancel: %s by %s", c.State, c.ClosedBy)
	}
	for _, a := range w.actions(id) {
		want := storage.ActionSkipped
		if a.Kind == "membership" {
			want = storage.ActionDone
		}
		if a.State != want {
			t.Errorf("%s is %s; want %s", a.Kind, a.State, want)
		}
	}
	if w.threadCount(id, "Cancelled by <@"+manager+">") != 1 || !strings.Contains(w.parent(id).AllText(), "Cancelled") {
		t.Errorf("the thread and parent do not say who cancelled")
	}
	if btns := w.slack.Thread(channel, w.parent(id).TS)[1].Buttons(); len(btns) != 0 {
		t.Errorf("the cancelled checklist still has %d buttons", len(btns))
	}
	// A second request is possible again.
	w.slash(manager, "/offboard @dana on 2024-08-01")
	if n := len(w.cases()); n != 2 {
		t.Errorf("%d cases after a new request; want 2", n)
	}
}

func TestCancellingAScheduledCaseBeforeItIsDue(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.slash(manager, "/offboard @dana on 2024-07-10 end of contract")
	w.slash(manager, "/offboard cancel @dana")
	if c := w.caseOf(1); c.State != storage.CaseCancelled {
		t.Fatalf("case = %s", c.State)
	}
	w.clock.Advance(10 * 24 * time.Hour)
	w.tick()
	if len(w.actions(1)) != 0 || w.gh.IsMember(org, "dev-gh") == false {
		t.Error("a cancelled case was discovered or executed")
	}
	w.slash(manager, "/offboard status @dana")
	if !strings.Contains(w.lastEphemeral(manager), "no scheduled or open") {
		t.Errorf("status after cancel: %q", w.lastEphemeral(manager))
	}
}

func TestApproversAreRemindedAfterFourHoursThenDaily(t *testing.T) {
	w := newWorld(t, worldOptions{})
	id := w.openCase(manager)
	reminders := func() int { return w.threadCount(id, ":alarm_clock:") }
	w.clock.Advance(3 * time.Hour)
	w.tick()
	if reminders() != 0 {
		t.Fatal("reminded before four hours")
	}
	w.clock.Advance(61 * time.Minute)
	w.waitFor("the first reminder", 5*time.Second, func() bool { return reminders() == 1 })
	w.clock.Advance(6 * time.Hour)
	w.tick()
	if reminders() != 1 {
		t.Fatalf("%d reminders within a day; want 1", reminders())
	}
	w.clock.Advance(18 * time.Hour)
	w.waitFor("the daily reminder", 5*time.Second, func() bool { return reminders() == 2 })
	if text := strings.Join(w.thread(id), "\n"); !strings.Contains(text, "<!subteam^S0SECURITY>: 6 actions of offboarding #1 are waiting") {
		t.Errorf("reminder text:\n%s", text)
	}
}

func TestAppHomeShowsPendingApprovalsAndCases(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.openCase(manager)
	w.slash(manager, "/offboard @olly on 2024-09-01 moving")
	env, err := w.slack.OpenHome(sec1)
	must(t, err)
	w.slack.WaitAck(env, 10*time.Second)
	w.settle()
	home, ok := w.slack.HomeView(sec1)
	if !ok {
		t.Fatal("no home view published")
	}
	text := home.AllText()
	for _, want := range []string{"Waiting for your approval", "#1", "#2", "Scheduled", "access key"} {
		if !strings.Contains(text, want) {
			t.Errorf("App Home lacks %q:\n%s", want, text)
		}
	}
	// It stays current: a new request shows without opening it again.
	w.slash(manager, "/offboard @sue on 2024-09-02 moving")
	w.waitFor("App Home to show the new case", 5*time.Second, func() bool {
		h, _ := w.slack.HomeView(sec1)
		return strings.Contains(h.AllText(), "#3")
	})
	env, _ = w.slack.OpenHome(dana)
	w.slack.WaitAck(env, 10*time.Second)
	w.settle()
	if h, _ := w.slack.HomeView(dana); strings.Contains(h.AllText(), "Waiting for your approval") {
		t.Error("a non-approver is shown approvals")
	}
}

func TestTheRequestFormOpensAndItsSubmissionIsARequest(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.slash(manager, "/offboard")
	if v, ok := w.slack.OpenView(manager); !ok || v.CallbackID != "offboard_request" {
		t.Fatalf("no request form: %+v", v)
	}
	ack := w.submit(manager, map[string]fakeslack.Input{"target": {SelectedUser: dana}, "date": {SelectedDate: "2024-13-01"}})
	if !strings.Contains(string(ack.Payload), "errors") {
		t.Errorf("an invalid date was accepted by the form: %s", ack.Payload)
	}
	w.submit(manager, map[string]fakeslack.Input{"target": {SelectedUser: dana}, "date": {SelectedDate: "2024-07-04"}, "time": {SelectedTime: "14:30"},
		"reason": {Value: "end of contract"}})
	c := w.caseOf(1)
	if c.State != storage.CaseScheduled || !c.EffectiveAt.Equal(time.Date(2024, 7, 4, 12, 30, 0, 0, time.UTC)) || c.Reason != "end of contract" {
		t.Errorf("case from the form: %+v", c)
	}
	if !strings.Contains(w.lastEphemeral(manager), "Thu 4 Jul 2024 14:30 Europe/Berlin") {
		t.Errorf("confirmation: %q", w.lastEphemeral(manager))
	}
	w.slash(outsider, "/offboard")
	if _, ok := w.slack.OpenView(outsider); ok {
		t.Error("a non-requester got the form")
	}
}

func TestLinkingAnAccountAddsItsGrantsToTheOpenCase(t *testing.T) {
	w := newWorld(t, worldOptions{config: func(c *flows.Config) { c.Identities = nil }})
	id := w.openCase(manager)
	if len(w.caseOf(id).Notes) == 0 || w.threadCount(id, "/offboard link") == 0 {
		t.Fatalf("the checklist does not say GitHub and AWS are unlinked:\n%s", strings.Join(w.thread(id), "\n"))
	}
	before := len(w.actions(id))
	w.slash(manager, "/offboard link @dana github:dev-gh")
	if !strings.Contains(w.lastEphemeral(manager), "Only approvers") {
		t.Errorf("a requester could link: %q", w.lastEphemeral(manager))
	}
	w.slash(sec1, "/offboard link @dana github:dev-gh")
	if !strings.Contains(w.lastEphemeral(sec1), "Linked") {
		t.Fatalf("link answer: %q", w.lastEphemeral(sec1))
	}
	w.settle()
	a := w.action(id, "membership")
	if len(w.actions(id)) != before+1 || !strings.Contains(string(a.Grant), `"linked_by":"manual"`) {
		t.Errorf("after linking: %d actions (was %d), grant %s", len(w.actions(id)), before, a.Grant)
	}
	if w.threadCount(id, "linked by manual") == 0 {
		t.Error("the checklist does not show the new row with how it was linked")
	}
}

func TestEmailMatchingLinksAccountsItFinds(t *testing.T) {
	w := newWorld(t, worldOptions{config: func(c *flows.Config) { c.Identities = nil }})
	id := w.openCase(manager) // dana@acme.test is the IAM user's email tag
	a := w.action(id, "access_key")
	if !strings.Contains(string(a.Grant), `"linked_by":"email-match"`) {
		t.Errorf("the IAM user was not linked by email: %s", a.Grant)
	}
	if w.threadCount(id, "linked by email-match") == 0 {
		t.Error("the checklist does not say the account was matched by email")
	}
}

// A token Slack refuses stops the bot at once with the variable to fix; a
// passing failure of auth.test does not stop it.
func TestARefusedTokenStopsTheBotAndAPassingFailureDoesNot(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault fakeslack.Fault
		stops bool
	}{
		{"invalid_auth", fakeslack.Fault{Error: "invalid_auth", Times: 1}, true},
		{"token_revoked", fakeslack.Fault{Error: "token_revoked", Times: 1}, true},
		{"account_inactive", fakeslack.Fault{Error: "account_inactive", Times: 1}, true},
		{"a 500", fakeslack.Fault{Status: 500, Times: 1}, false},
		{"ratelimited", fakeslack.Fault{Error: "ratelimited", Times: 1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, worldOptions{noRun: true})
			w.slack.InjectFault("auth.test", tc.fault)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- w.bot.Run(ctx) }()
			if tc.stops {
				select {
				case err := <-done:
					if err == nil || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN") || !strings.Contains(err.Error(), tc.name) {
						t.Errorf("Run = %v; want the refusal and the variable to check", err)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("the bot kept running with a token Slack refused")
				}
				if n := w.slack.Sockets(); n != 0 {
					t.Errorf("%d sockets opened with a refused token", n)
				}
				return
			}
			w.waitFor("the socket to connect despite the failed auth.test", 10*time.Second, w.bot.Connected)
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run after a passing auth.test failure = %v; want nil", err)
			}
		})
	}
}
