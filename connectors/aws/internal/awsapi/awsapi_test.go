package awsapi

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/offboard/offboard/connectors"
)

func TestSessionNamesKeepToWhatSTSAllows(t *testing.T) {
	for _, tc := range []struct{ name, caseID, want string }{
		{"no case is plain offboard", "", "offboard"},
		{"a case ID is appended", "c42", "offboard-c42"},
		{"characters STS refuses become dashes", "case 7/ü", "offboard-case-7--"},
		{"a long ID is cut at 64 characters", strings.Repeat("x", 80), "offboard-" + strings.Repeat("x", 55)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SessionName(tc.caseID); got != tc.want {
				t.Errorf("SessionName(%q) = %q, want %q", tc.caseID, got, tc.want)
			}
		})
	}
}

func TestPagesStopsAtTheCapAndOnARepeatedToken(t *testing.T) {
	n := 0
	err := Pages(context.Background(), connectors.AWS, "list", 3, func(_ context.Context, _ *string) (*string, error) {
		n++
		next := strconv.Itoa(n)
		return &next, nil
	})
	if connectors.KindOf(err) == connectors.KindRetryable || err == nil || n != 3 {
		t.Errorf("endless distinct tokens: %v after %d pages, want an error after 3", err, n)
	}
	n = 0
	err = Pages(context.Background(), connectors.AWS, "list", 0, func(_ context.Context, _ *string) (*string, error) {
		n++
		next := "same"
		return &next, nil
	})
	if !errors.Is(err, ErrPageLoop) || n != 2 {
		t.Errorf("a repeated token: %v after %d pages, want ErrPageLoop after 2", err, n)
	}
	g := NewPageGuard(connectors.AWS, "list")
	a, b := "a", "b"
	if g.Next(&a) != nil || g.Next(&b) != nil || !errors.Is(g.Next(&a), ErrPageLoop) {
		t.Errorf("the guard let a repeated marker through")
	}
}
