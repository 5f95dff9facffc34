package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Anchor is a chain head stated outside the database (a case's closing
// reply, the daily anchor in the nightly report's thread): event Seq had
// hash Hash. Whoever can rewrite the database file can recompute the whole
// chain, but not the anchors already posted elsewhere, so a verify against
// them catches a rewritten or cut-off log.
type Anchor struct {
	Seq  int64
	Hash string
}

// String is the SEQ:HASH form that ParseAnchor reads and the bot posts.
func (a Anchor) String() string { return fmt.Sprintf("%d:%s", a.Seq, a.Hash) }

// ParseAnchor reads SEQ:HASH, the hash being 64 hex digits.
func ParseAnchor(s string) (Anchor, error) {
	seqText, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if !ok || err != nil || seq < 1 {
		return Anchor{}, fmt.Errorf("anchor %q: write it as SEQ:HASH, an event number (1 or more), a colon and its hash", s)
	}
	hash = strings.ToLower(hash)
	if len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "" {
		return Anchor{}, fmt.Errorf("anchor %q: the hash must be 64 hex digits (SHA-256), as the bot states it", s)
	}
	return Anchor{Seq: seq, Hash: hash}, nil
}

// HeadAnchor is the chain head (AuditHead) as the Anchor the bot states in
// a case's closing reply and in the nightly report's thread. Its Seq is 0
// while the log is empty: nothing to anchor yet.
func HeadAnchor(ctx context.Context, q Querier) (Anchor, error) {
	seq, hash, err := AuditHead(ctx, q)
	if err != nil {
		return Anchor{}, err
	}
	return Anchor{Seq: seq, Hash: hash}, nil
}
