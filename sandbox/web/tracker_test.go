package web

import (
	"testing"
	"time"
)

func TestTrackerHighlightsChangesAndKeepsRemovedRows(t *testing.T) {
	tr := newTracker()
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	seed := []section{{Tab: "github", Title: "members", Rows: []row{
		{Key: "a", HTML: "alice"}, {Key: "d", HTML: "dana"}, {Key: "k", HTML: "key used 1 h ago", Sig: "Active"}}}}
	tr.observe(seed, time.Time{})

	// The clock moved: the relative time changed, nothing else did.
	moved := []section{{Tab: "github", Title: "members", Rows: []row{
		{Key: "a", HTML: "alice"}, {Key: "d", HTML: "dana"}, {Key: "k", HTML: "key used 25 h ago", Sig: "Active"}}}}
	got := tr.observe(moved, t0)
	for _, r := range got[0].Rows {
		if r.Changed || r.Gone {
			t.Errorf("after a clock move %s is marked changed=%v gone=%v", r.Key, r.Changed, r.Gone)
		}
	}
	if got[0].Rows[2].HTML != "key used 25 h ago" {
		t.Errorf("the row shows %q, not its current text", got[0].Rows[2].HTML)
	}

	// The bot removed dana and deactivated the key.
	after := []section{{Tab: "github", Title: "members", Rows: []row{
		{Key: "a", HTML: "alice"}, {Key: "k", HTML: "key Inactive", Sig: "Inactive"}}}}
	got = tr.observe(after, t0.Add(time.Second))
	want := map[string][2]bool{"a": {false, false}, "k": {true, false}, "d": {true, true}}
	if len(got[0].Rows) != 3 {
		t.Fatalf("rows = %+v; want alice, the key and dana struck through", got[0].Rows)
	}
	for _, r := range got[0].Rows {
		if w := want[r.Key]; r.Changed != w[0] || r.Gone != w[1] {
			t.Errorf("%s: changed=%v gone=%v; want %v %v", r.Key, r.Changed, r.Gone, w[0], w[1])
		}
	}

	// Later the highlight fades; the removed row stays, struck through.
	got = tr.observe(after, t0.Add(time.Second+highlightFor))
	for _, r := range got[0].Rows {
		if r.Changed {
			t.Errorf("%s still highlighted after %s", r.Key, highlightFor)
		}
		if r.Key == "d" && !r.Gone {
			t.Error("dana's removal is no longer shown")
		}
	}
}
