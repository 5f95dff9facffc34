package awsapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/offboard/offboard/connectors"
)

// ErrPageLoop is a listing that handed back a page token it had handed
// out before: following it would never end.
var ErrPageLoop = errors.New("the listing returned a page token it returned before")

// MaxPages caps every listing: at a hundred items a page, more than a
// million items is a fault, not an organisation.
const MaxPages = 10000

// Pages walks a paginated listing. fetch reads the page at token (nil for
// the first) and returns the next token (nil or "" at the end). A token
// seen before ends the walk with ErrPageLoop; more than maxPages pages
// (MaxPages when zero) end it with an error too.
func Pages(ctx context.Context, system connectors.System, op string, maxPages int,
	fetch func(ctx context.Context, token *string) (*string, error),
) error {
	if maxPages <= 0 {
		maxPages = MaxPages
	}
	seen := map[string]bool{}
	var token *string
	for page := 0; ; page++ {
		if page == maxPages {
			return &connectors.Error{System: system, Op: op, Kind: connectors.KindUnknown,
				Err: fmt.Errorf("more than %d pages", maxPages)}
		}
		next, err := fetch(ctx, token)
		if err != nil {
			return Wrap(system, op, err)
		}
		if next == nil || *next == "" {
			return nil
		}
		if seen[*next] {
			return &connectors.Error{System: system, Op: op, Kind: connectors.KindUnknown, Err: ErrPageLoop}
		}
		seen[*next] = true
		token = next
	}
}
