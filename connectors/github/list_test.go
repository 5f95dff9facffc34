package github

import (
	"strings"
	"testing"

	gh "github.com/google/go-github/v60/github"
)

func TestPageWalkIsCappedByTheFirstPagesLastAndStopsOnALoop(t *testing.T) {
	cases := []struct {
		name  string
		resps []*gh.Response
		pages []int
		err   string
	}{
		{"an ordinary walk", []*gh.Response{{NextPage: 2, LastPage: 3}, {NextPage: 3, LastPage: 3}, {}}, []int{2, 3, 0}, ""},
		{"a list that grows by a page while read", []*gh.Response{{NextPage: 2, LastPage: 2}, {NextPage: 3, LastPage: 3}, {}}, []int{2, 3, 0}, ""},
		{"a server that runs far past the last page", []*gh.Response{{NextPage: 2, LastPage: 2}, {NextPage: 3}, {NextPage: 4}, {NextPage: 5}}, []int{2, 3, 4}, "past page 4"},
		{"a next page seen before", []*gh.Response{{NextPage: 2}, {NextPage: 3}, {NextPage: 2}}, []int{2, 3}, "loops"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newPageWalk("list things")
			var got []int
			var err error
			for _, r := range tc.resps {
				var p int
				if p, err = w.next(r); err != nil {
					break
				}
				got = append(got, p)
			}
			if len(got) != len(tc.pages) {
				t.Fatalf("pages = %v, want %v", got, tc.pages)
			}
			for i := range got {
				if got[i] != tc.pages[i] {
					t.Fatalf("pages = %v, want %v", got, tc.pages)
				}
			}
			if (tc.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("err = %v, want %q", err, tc.err)
			}
		})
	}
}
