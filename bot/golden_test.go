package bot

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

var update = flag.Bool("update", false, "rewrite the golden files of rendered Block Kit")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "golden", name)
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -run Golden -update to create it)", err)
	}
	if string(want) != string(b)+"\n" {
		t.Errorf("%s changed; if on purpose, run go test ./bot -run Golden -update\n--- got:\n%s", name, b)
	}
}

func grant(sys connectors.System, scope, acct, kind, title string, ctx []string, last *time.Time, linked connectors.LinkMethod) json.RawMessage {
	b, _ := json.Marshal(connectors.Grant{Account: connectors.Account{System: sys, Scope: scope, ID: acct, LinkedBy: linked}, Kind: kind,
		Title: title, Context: ctx, LastActive: last})
	return b
}

func TestGoldenChecklistInEveryState(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	r := NewRenderer(Config{ApprovalsChannel: "C0APPROVALS", Approvers: []string{"S0SECURITY"}}, berlin)
	now := time.Date(2024, 7, 3, 7, 1, 0, 0, time.UTC)
	used := now.Add(-72 * time.Hour)
	c := storage.Case{ID: 7, Target: storage.Identity{SlackUser: "U0DEV", Name: "Dana Dev"}, Requester: "U0MGR", State: storage.CaseOpen,
		Notes: []string{"No IAM user in AWS account 210987654321 is linked to this person. If they have one: /offboard link @person aws:<user>@210987654321"}}
	aws := func(kind, title string, ctx []string) json.RawMessage {
		return grant(connectors.AWS, "123456789012", "dev", kind, title, ctx, &used, connectors.LinkConfig)
	}
	actions := []storage.Action{
		{ID: 1, Kind: "membership", System: "github", State: storage.ActionAwaitingApproval, ApprovalsRequired: 2, Approvers: []string{"U0SEC1"},
			Policy: "needs 2 approvals from different people by policy rule 1 (github, active within 14 days)",
			Grant:  grant(connectors.GitHub, "acme", "dev-gh", "membership", "org membership", []string{"member", "2 teams"}, &used, connectors.LinkEmail)},
		{ID: 2, Kind: "access_key", System: "aws", State: storage.ActionDone, ApprovalsRequired: 1, Approvers: []string{"U0SEC1"}, Outcome: "revoked",
			Took: 412 * time.Millisecond, Policy: "needs 1 approval", Grant: aws("access_key", "access key AKIA…WXYZ", []string{"active", "s3"})},
		{ID: 3, Kind: "access_key", System: "aws", State: storage.ActionDone, ApprovalsRequired: 1, Approvers: []string{"U0SEC2"}, Outcome: "already gone",
			Policy: "needs 1 approval", Grant: aws("access_key", "access key AKIA…ABCD", nil)},
		{ID: 4, Kind: "console_password", System: "aws", State: storage.ActionHeld, HeldBy: "U0SEC2", HeldReason: "handover <until> Friday & then",
			HeldUntil: time.Date(2024, 7, 5, 7, 0, 0, 0, time.UTC), Policy: "needs 1 approval", Grant: aws("console_password", "console password", nil)},
		{ID: 5, Kind: "policies", System: "aws", State: storage.ActionFailed, Attempts: 2, MaxAttempts: 5, LastError: "aws: attach policy: Throttling",
			Policy: "needs 1 approval", Grant: aws("policies", "attach AWSDenyAll", []string{"groups: developers"})},
		{ID: 6, Kind: "ssh_key", System: "aws", State: storage.ActionFailed, Attempts: 5, MaxAttempts: 5, LastError: "aws: AccessDenied",
			Policy: "needs 1 approval", Grant: aws("ssh_key", "SSH key APKA…1234", nil)},
		{ID: 7, Kind: "usergroup", System: "slack", State: storage.ActionAutoApproved, AutoApprove: true,
			Policy: "auto-approved by policy rule 2 (slack, usergroup)", Grant: grant(connectors.Slack, "T0FAKE", "U0DEV", "usergroup", "user group @oncall", []string{"2 members"}, nil, "")},
		{ID: 8, Kind: "task", System: "manual", State: storage.ActionAwaitingApproval, ApprovalsRequired: 1, Policy: "done by hand",
			Grant: grant(connectors.Manual, "", "U0DEV", "task", "Collect laptop", nil, nil, "")},
		{ID: 9, Kind: "task", System: "manual", State: storage.ActionDone, DoneBy: "U0SEC3", DoneNote: "returned <b>", Outcome: "marked done",
			Grant: grant(connectors.Manual, "", "U0DEV", "task", "Transfer Drive", nil, nil, "")},
	}
	text, blocks := r.checklistPart(c, actions, 0, now)
	golden(t, "checklist.json", map[string]any{"text": text, "blocks": blocks})
	c.State = storage.CaseCompleted
	c.OpenedAt, c.ClosedAt = now, now.Add(2*time.Hour+13*time.Minute)
	for i := range actions {
		if !actions[i].Finished() {
			actions[i].State, actions[i].Outcome = storage.ActionDone, "revoked"
		}
	}
	golden(t, "summary.json", r.summary(c, actions))
}
