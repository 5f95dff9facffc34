package awsapi

import (
	"fmt"

	"github.com/offboard/offboard/connectors"
)

// PageGuard watches a walk through an SDK paginator, which would follow a
// repeated token forever: Next fails on a token seen before (ErrPageLoop)
// and after MaxPages pages.
type PageGuard struct {
	system connectors.System
	op     string
	seen   map[string]bool
	pages  int
}

// NewPageGuard starts watching one walk.
func NewPageGuard(system connectors.System, op string) *PageGuard {
	return &PageGuard{system: system, op: op, seen: map[string]bool{}}
}

// Next records a page whose next-page token is next (nil or "" at the end).
func (g *PageGuard) Next(next *string) error {
	g.pages++
	if g.pages > MaxPages {
		return &connectors.Error{System: g.system, Op: g.op, Kind: connectors.KindUnknown, Err: fmt.Errorf("more than %d pages", MaxPages)}
	}
	if next == nil || *next == "" {
		return nil
	}
	if g.seen[*next] {
		return &connectors.Error{System: g.system, Op: g.op, Kind: connectors.KindUnknown, Err: ErrPageLoop}
	}
	g.seen[*next] = true
	return nil
}
