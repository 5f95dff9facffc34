package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/storage"
)

func TestAPersonWithSixtyGrantsGetsEveryRowWithinSlacksLimits(t *testing.T) {
	w := newWorld(t, worldOptions{})
	for i := 0; i < 56; i++ {
		w.slack.AddUserGroup(fakeslack.UserGroup{ID: fmt.Sprintf("S1GROUP%02d", i), Handle: fmt.Sprintf("team-%02d", i), Members: []string{dana, sec1}})
	}
	id := w.openCase(manager)
	actions := w.actions(id)
	if len(actions) < 60 {
		t.Fatalf("%d actions; want at least 60", len(actions))
	}
	rows := map[string]int{}
	parts := 0
	for _, m := range w.slack.Thread(channel, w.parent(id).TS)[1:] {
		var blocks []map[string]any
		json.Unmarshal(m.Blocks, &blocks)
		if len(blocks) > 50 {
			t.Errorf("a message with %d blocks", len(blocks))
		}
		parts++
		for _, b := range blocks {
			if bid, _ := b["block_id"].(string); len(bid) > 4 && bid[len(bid)-4:] == ".row" {
				rows[bid]++
			}
		}
	}
	for _, a := range actions {
		if rows[fmt.Sprintf("a%d.row", a.ID)] != 1 {
			t.Errorf("action %d (%s) appears %d times in the checklist", a.ID, a.Kind, rows[fmt.Sprintf("a%d.row", a.ID)])
		}
	}
	if parts < 4 {
		t.Errorf("%d checklist messages for %d actions; want them split", parts, len(actions))
	}
	var dead int
	w.db.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM outbox WHERE state='dead'`).Scan(&dead)
	if dead != 0 {
		t.Errorf("%d messages refused by Slack", dead)
	}
	for _, wn := range w.slack.Warnings() {
		t.Errorf("Slack warned: %+v", wn)
	}
	// Approve all remaining works across the parts.
	last := w.slack.Thread(channel, w.parent(id).TS)
	m := last[len(last)-1]
	env, err := w.slack.Click(sec1, fakeslack.InMessage(channel, m.TS), "Approve all remaining")
	must(t, err)
	w.slack.WaitAck(env, 10e9)
	w.waitActions(id, "every approved action to run", func(as []storage.Action) bool {
		for _, a := range as {
			if a.System != "manual" && a.State != storage.ActionDone {
				return false
			}
		}
		return true
	})
	if g, _ := w.slack.UserGroup("S1GROUP33"); slices.Contains(g.Members, dana) {
		t.Error("dana is still in team-33 after Approve all remaining")
	}
}
