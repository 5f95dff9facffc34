package fakeaws

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// defaultMaxItems and maxMaxItems are IAM's paging bounds.
const (
	defaultMaxItems = 100
	maxMaxItems     = 1000
)

// pageOf cuts one page out of items the way IAM pages: MaxItems (1–1000,
// default 100) and an opaque Marker that names where the next page starts.
func pageOf[T any](c *call, items []T) ([]T, string, *apiError) {
	limit := defaultMaxItems
	if v := c.param("MaxItems"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxMaxItems {
			return nil, "", errValidation("1 validation error detected: Value '" + v + "' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000")
		}
		limit = n
	}
	start := 0
	if m := c.param("Marker"); m != "" {
		n, ok := decodeMarker(m)
		if !ok || n > len(items) {
			return nil, "", errValidation("Invalid Marker.")
		}
		start = n
	}
	end := min(start+limit, len(items))
	next := ""
	if end < len(items) {
		next = encodeMarker(end)
		if c.srv.loops[c.action] {
			next = encodeMarker(min(limit, len(items)))
		}
	}
	return items[start:end], next, nil
}

// LoopPages makes every listing of action (IAM's Marker, JSON's NextToken)
// hand back the token of its second page, whatever page was asked: a
// service fault that a client following tokens would never leave.
func (s *Server) LoopPages(action string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loops[action] = true
}

func encodeMarker(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset)))
}

func decodeMarker(m string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil {
		return 0, false
	}
	v, ok := strings.CutPrefix(string(b), "offset:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0
}
