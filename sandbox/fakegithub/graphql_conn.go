package fakegithub

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// connection is a page of a Relay connection: totalCount, nodes, edges,
// pageInfo, with GitHub's first/last/after rules.
type connection struct {
	typ        string
	items      []gqlObject
	start, end int
}

func cursorOf(i int) string {
	return base64.StdEncoding.EncodeToString([]byte("cursor:v2:" + strconv.Itoa(i)))
}

func indexOf(cursor string) (int, bool) {
	b, err := base64.StdEncoding.DecodeString(cursor)
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), "cursor:v2:"))
	return n, err == nil
}

// paginate cuts items for a connection field f of type typ.
func paginate(typ string, f *gqlField, args map[string]any, items []gqlObject) (*connection, error) {
	first, hasFirst := argInt(args, "first")
	last, hasLast := argInt(args, "last")
	if !hasFirst && !hasLast {
		return nil, &gqlError{Type: "MISSING_PAGINATION_BOUNDARIES",
			Message: fmt.Sprintf("You must provide a `first` or `last` value to properly paginate the `%s` connection.", f.name)}
	}
	for _, n := range []int{first, last} {
		if n > 100 || n < 0 {
			return nil, &gqlError{Type: "EXCESSIVE_PAGINATION",
				Message: fmt.Sprintf("Requesting %d records on the `%s` connection exceeds the `first` limit of 100 records.", n, f.name)}
		}
	}
	start := 0
	if after := argString(args, "after"); after != "" {
		i, ok := indexOf(after)
		if !ok {
			return nil, &gqlError{Message: fmt.Sprintf("`%s` does not appear to be a valid cursor.", after)}
		}
		start = min(i+1, len(items))
	}
	end := len(items)
	if hasFirst {
		end = min(start+first, len(items))
	} else {
		start = max(end-last, start)
	}
	return &connection{typ: typ, items: items, start: start, end: end}, nil
}

func (c *connection) typeName() string { return c.typ }

func (c *connection) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "totalCount":
		return len(c.items), nil
	case "nodes":
		return c.items[c.start:c.end], nil
	case "edges":
		out := make([]gqlObject, 0, c.end-c.start)
		for i := c.start; i < c.end; i++ {
			out = append(out, edge{typ: strings.TrimSuffix(c.typ, "Connection") + "Edge", node: c.items[i], cursor: cursorOf(i)})
		}
		return out, nil
	case "pageInfo":
		return pageInfo{c: c}, nil
	}
	return nil, undefinedField(c.typ, f)
}

type edge struct {
	typ    string
	node   gqlObject
	cursor string
}

func (e edge) typeName() string { return e.typ }

func (e edge) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "node":
		return e.node, nil
	case "cursor":
		return e.cursor, nil
	}
	return nil, undefinedField(e.typ, f)
}

type pageInfo struct{ c *connection }

func (pageInfo) typeName() string { return "PageInfo" }

func (p pageInfo) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	c := p.c
	switch f.name {
	case "hasNextPage":
		if ex.s.faults.loopingCursors() {
			return true, nil
		}
		return c.end < len(c.items), nil
	case "hasPreviousPage":
		return c.start > 0, nil
	case "endCursor":
		if ex.s.faults.loopingCursors() {
			return cursorOf(0), nil // back to the first page's end, again and again
		}
		if c.end == c.start {
			return nil, nil
		}
		return cursorOf(c.end - 1), nil
	case "startCursor":
		if c.end == c.start {
			return nil, nil
		}
		return cursorOf(c.start), nil
	}
	return nil, undefinedField("PageInfo", f)
}
