package github

import (
	"bytes"
	"io"
	"net/http"
	"sync"
)

// etagCache makes GET requests conditional: it remembers the last body
// and ETag per URL, sends If-None-Match, and turns a 304 back into the
// remembered 200. GitHub does not count an authorized 304 against the
// rate limit, so re-reading an unchanged member list is free. The
// X-From-Cache header tells go-github not to record the 304's rate.
type etagCache struct {
	next http.RoundTripper
	max  int // entries kept; the oldest goes first
	// maxBody is the largest body remembered.
	maxBody int

	mu      sync.Mutex
	entries map[string]cached
	order   []string
}

type cached struct {
	etag   string
	body   []byte
	header http.Header
}

func newETagCache(next http.RoundTripper) *etagCache {
	return &etagCache{next: next, max: 512, maxBody: 1 << 20, entries: map[string]cached{}}
}

func (c *etagCache) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet {
		return c.next.RoundTrip(req)
	}
	key := req.URL.String()
	c.mu.Lock()
	hit, ok := c.entries[key]
	c.mu.Unlock()
	if ok {
		req = req.Clone(req.Context())
		req.Header.Set("If-None-Match", hit.etag)
	}
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	switch {
	case ok && resp.StatusCode == http.StatusNotModified:
		_ = resp.Body.Close()
		h := hit.header.Clone()
		h.Set("X-From-Cache", "1")
		return &http.Response{
			Status: "200 OK", StatusCode: http.StatusOK, Proto: resp.Proto,
			ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor, Header: h,
			Body: io.NopCloser(bytes.NewReader(hit.body)), ContentLength: int64(len(hit.body)),
			Request: req,
		}, nil
	case resp.StatusCode == http.StatusOK && resp.Header.Get("ETag") != "":
		body, err := io.ReadAll(io.LimitReader(resp.Body, int64(c.maxBody)+1))
		if err != nil {
			_ = resp.Body.Close()
			return nil, err
		}
		if len(body) > c.maxBody { // too big to keep: hand it on whole
			resp.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
			return resp, nil
		}
		_ = resp.Body.Close()
		c.store(key, cached{etag: resp.Header.Get("ETag"), body: body, header: resp.Header.Clone()})
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	return resp, nil
}

func (c *etagCache) store(key string, e cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, exists := c.entries[key]; !exists {
		c.order = append(c.order, key)
	}
	c.entries[key] = e
	for len(c.order) > c.max {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}
