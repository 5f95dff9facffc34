package socket

import (
	"bytes"
	"errors"
)

// errSyntax says a frame is not a JSON object this scanner can walk.
var errSyntax = errors.New("not a JSON object")

// member is one top-level member of a JSON object, by offsets into it.
type member struct {
	key        []byte // the raw key, without quotes, escapes not decoded
	start, end int    // the member from its key's quote to its value's end
	val        []byte // the raw value
	sep        int    // the ',' or '{' before the member
}

// members walks the top level of the JSON object in b and calls fn for each
// member until fn returns false. Nested values are skipped, not validated:
// the full decode after the ack validates them, and a payload that fails
// there is recorded as failed in the inbox.
func members(b []byte, fn func(m member) bool) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errSyntax
	}
	sep := i
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return errSyntax
		}
		keyEnd, err := skipString(b, i)
		if err != nil {
			return err
		}
		m := member{key: b[i+1 : keyEnd-1], start: i, sep: sep}
		i = skipSpace(b, keyEnd)
		if i >= len(b) || b[i] != ':' {
			return errSyntax
		}
		i = skipSpace(b, i+1)
		end, err := skipValue(b, i)
		if err != nil {
			return err
		}
		m.val, m.end = b[i:end], end
		if !fn(m) {
			return nil
		}
		i = skipSpace(b, end)
		if i >= len(b) {
			return errSyntax
		}
		switch b[i] {
		case ',':
			sep = i
			i = skipSpace(b, i+1)
		case '}':
			return nil
		default:
			return errSyntax
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index after the string that starts at b[i] ('"').
func skipString(b []byte, i int) (int, error) {
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return 0, errSyntax
		}
		j += k
		// The quote ends the string unless an odd run of backslashes
		// escapes it.
		n := 0
		for p := j - 1; p > i && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return j + 1, nil
		}
		j++
	}
}

// structural marks the bytes that matter when skipping a nested value.
var structural = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// skipValue returns the index after the value that starts at b[i].
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errSyntax
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			if !structural[b[j]] {
				continue
			}
			switch b[j] {
			case '"':
				end, err := skipString(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errSyntax
	}
	j := i
	for j < len(b) {
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			if j == i {
				return 0, errSyntax
			}
			return j, nil
		}
		j++
	}
	if j == i {
		return 0, errSyntax
	}
	return j, nil
}
