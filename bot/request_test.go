package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/offboard/offboard/storage"
)

func TestARequestIsConfirmedPostedOnceAndADuplicateIsRefused(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.slash(manager, "/offboard @dana on 2024-07-01 contract ended")

	confirm := w.lastEphemeral(manager)
	if !strings.Contains(confirm, "Mon 1 Jul 2024 09:00 Europe/Berlin") || !strings.Contains(confirm, "overdue") {
		t.Errorf("confirmation = %q; want the interpreted instant, marked overdue", confirm)
	}
	parents := w.topLevel("Offboarding #1")
	if len(parents) != 1 {
		t.Fatalf("%d parent messages; want 1", len(parents))
	}
	if !strings.Contains(parents[0].AllText(), "contract ended") || !strings.Contains(parents[0].AllText(), "<@"+manager+">") {
		t.Errorf("parent = %q; want the reason and the requester", parents[0].AllText())
	}

	w.slash(manager, "/offboard @dana on 2024-07-01 contract ended")
	if got := w.lastEphemeral(manager); !strings.Contains(got, "already has") || !strings.Contains(got, "#1") {
		t.Errorf("second request answered %q; want 'already has … #1'", got)
	}
	if n := len(w.cases()); n != 1 {
		t.Errorf("%d cases after a duplicate request; want 1", n)
	}
	if n := len(w.topLevel("Offboarding #")); n != 1 {
		t.Errorf("%d parent messages after a duplicate request; want 1", n)
	}
	types := w.auditTypes()
	if count(types, storage.EventRequested) != 1 || count(types, storage.EventRefused) != 1 {
		t.Errorf("audit = %v; want one requested and one refused", types)
	}
}

func TestANonRequesterIsRefusedAndTheRefusalIsAudited(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.slash(outsider, "/offboard @dana contract ended")
	if got := w.lastEphemeral(outsider); !strings.Contains(got, "Only requesters") {
		t.Errorf("answer = %q; want a refusal", got)
	}
	if n := len(w.cases()); n != 0 {
		t.Errorf("%d cases; want none", n)
	}
	var refused []storage.Event
	w.db.AuditEvents(context.Background(), storage.ExportFilter{}, func(ev storage.Event) error {
		if ev.Type == storage.EventRefused {
			refused = append(refused, ev)
		}
		return nil
	})
	if len(refused) != 1 || refused[0].Actor != outsider {
		t.Errorf("refused events = %+v; want one by %s", refused, outsider)
	}
	if len(w.slack.Messages(channel)) != 0 {
		t.Error("a refused request posted in the approvals channel")
	}
}
