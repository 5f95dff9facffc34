package web

import (
	"sort"
	"sync"
	"time"
)

// highlightFor is how long a changed row stays highlighted.
const highlightFor = 15 * time.Second

// tracker remembers each side-panel row it has seen, so the page can
// highlight what just changed and keep showing, struck through, what the
// bot removed.
type tracker struct {
	mu   sync.Mutex
	seen map[string]*seenRow
}

type seenRow struct {
	section string
	sig     string
	html    string
	changed time.Time // wall time of the last change; zero for the seed
	gone    bool
}

func newTracker() *tracker { return &tracker{seen: map[string]*seenRow{}} }

// shownRow is a row as the panel renders it.
type shownRow struct {
	row
	Changed bool
	Gone    bool
}

// shownSection is a section with its rows marked.
type shownSection struct {
	Tab, Title string
	Rows       []shownRow
}

// observe records a snapshot taken at now (zero for the baseline) and
// returns the sections with new and changed rows marked, and removed rows
// appended, struck through.
func (t *tracker) observe(secs []section, now time.Time) []shownSection {
	t.mu.Lock()
	defer t.mu.Unlock()
	present := map[string]bool{}
	out := make([]shownSection, 0, len(secs))
	for _, sec := range secs {
		ss := shownSection{Tab: sec.Tab, Title: sec.Title}
		for _, r := range sec.Rows {
			present[r.Key] = true
			old := t.seen[r.Key]
			if old == nil || old.sig != r.sig() || old.gone {
				t.seen[r.Key] = &seenRow{section: sec.Title, sig: r.sig(), html: r.HTML, changed: now}
				old = t.seen[r.Key]
			}
			old.html = r.HTML
			ss.Rows = append(ss.Rows, shownRow{row: r, Changed: !old.changed.IsZero() && now.Sub(old.changed) < highlightFor})
		}
		out = append(out, ss)
	}
	keys := make([]string, 0, len(t.seen))
	for key := range t.seen {
		if !present[key] {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	for _, key := range keys {
		old := t.seen[key]
		if !old.gone {
			old.gone, old.changed = true, now
		}
		for i := range out {
			if out[i].Title == old.section {
				out[i].Rows = append(out[i].Rows, shownRow{row: row{Key: key, HTML: old.html}, Gone: true,
					Changed: now.Sub(old.changed) < highlightFor})
			}
		}
	}
	return out
}
