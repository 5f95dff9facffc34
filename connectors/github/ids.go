package github

import (
	"fmt"
	"strconv"
	"strings"
)

// joinIDs and splitIDs carry a grouped grant's IDs in its Ref.
func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(ref string) ([]int64, error) {
	var ids []int64
	for _, p := range strings.Split(ref, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("bad id %q in %q", p, ref)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
