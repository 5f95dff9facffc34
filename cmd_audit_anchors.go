package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/offboard/offboard/storage"
)

// readAnchors parses the --anchor values and the lines of the --anchors
// file. A mistake is bad usage (exit 2), never a silent skip: an anchor
// that is not checked would let a rewritten log pass.
func readAnchors(args []string, file string) ([]storage.Anchor, error) {
	var out []storage.Anchor
	for _, a := range args {
		an, err := storage.ParseAnchor(a)
		if err != nil {
			return nil, &usageError{msg: "--anchor: " + err.Error()}
		}
		out = append(out, an)
	}
	if file == "" {
		return out, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("--anchors: %v", err)}
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		an, err := storage.ParseAnchor(text)
		if err != nil {
			return nil, &usageError{msg: fmt.Sprintf("--anchors %s line %d: %v", file, line, err)}
		}
		out = append(out, an)
	}
	if err := sc.Err(); err != nil {
		return nil, &usageError{msg: fmt.Sprintf("--anchors %s: %v", file, err)}
	}
	return out, nil
}

// stringList is a flag that may be given more than once.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }
