package bot

import (
	"fmt"
	"strings"
	"testing"
)

// FuzzParseRef feeds button values, which arrive from Slack and are only
// pointers to check against the database: any value either parses into
// positive IDs that print back the same, or is refused; nothing panics.
func FuzzParseRef(f *testing.F) {
	for _, seed := range []string{"c12:a45", "c12", "f7", "", ":", "c0", "c-1", "a1:c2", "c12:a45:f3", "x9", "c99999999999999999999",
		"c12:", "c12:a", "c1:a1:a2", "c+12", "c 12", "c１２"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		r, ok := parseRef(v)
		if !ok {
			return
		}
		if r.caseID < 0 || r.actionID < 0 || r.findingID < 0 {
			t.Fatalf("%q parsed to negative IDs %+v", v, r)
		}
		if r.caseID == 0 && r.actionID == 0 && r.findingID == 0 {
			t.Fatalf("%q parsed to no ID at all", v)
		}
		again, ok := parseRef(v)
		if !ok || again != r {
			t.Fatalf("%q parsed differently twice", v)
		}
		if canon := canonicalRef(r); canon != v {
			if back, _ := parseRef(canon); back != r {
				t.Fatalf("%q → %+v → %q → %+v", v, r, canon, back)
			}
		}
	})
}

func canonicalRef(r ref) string {
	var parts []string
	if r.caseID != 0 {
		parts = append(parts, fmt.Sprintf("c%d", r.caseID))
	}
	if r.actionID != 0 {
		parts = append(parts, fmt.Sprintf("a%d", r.actionID))
	}
	if r.findingID != 0 {
		parts = append(parts, fmt.Sprintf("f%d", r.findingID))
	}
	return strings.Join(parts, ":")
}

func TestButtonValuesParseOrAreRefused(t *testing.T) {
	cases := []struct {
		value string
		want  ref
		ok    bool
	}{
		{"c12:a45", ref{caseID: 12, actionID: 45}, true},
		{"c12", ref{caseID: 12}, true},
		{"f7", ref{findingID: 7}, true},
		{"", ref{}, false},
		{"c0", ref{}, false},
		{"c-3", ref{}, false},
		{"x9", ref{}, false},
		{"c12:a", ref{}, false},
		{"c1 2", ref{}, false},
		{"c+12", ref{}, false},
	}
	for _, tc := range cases {
		got, ok := parseRef(tc.value)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseRef(%q) = %+v, %v; want %+v, %v", tc.value, got, ok, tc.want, tc.ok)
		}
	}
}
