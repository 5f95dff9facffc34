package fakegithub

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Documentation URLs GitHub puts in error bodies; go-github recognises a
// secondary limit by the suffix of docSecondary.
const (
	docREST      = "https://docs.github.com/rest"
	docPrimary   = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits"
	docSecondary = "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
	docNotFound  = "https://docs.github.com/rest"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-GitHub-Media-Type", "github.v3; format=json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeMessage writes GitHub's error body: {"message", "documentation_url"}.
func writeMessage(w http.ResponseWriter, status int, msg, doc string) {
	body := map[string]string{"message": msg}
	if doc != "" {
		body["documentation_url"] = doc
	}
	writeJSON(w, status, body)
}

func writeNotFound(w http.ResponseWriter) {
	writeMessage(w, http.StatusNotFound, "Not Found", docNotFound)
}

func writeNoContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// writePage writes one page of items as GitHub does: per_page (default 30,
// at most 100) and page from the query, a Link header with next, last,
// first and prev, and an ETag that a matching If-None-Match turns into an
// uncharged 304.
func writePage[T any](w http.ResponseWriter, r *http.Request, items []T) {
	q := r.URL.Query()
	perPage := atoiDefault(q.Get("per_page"), 30)
	if perPage < 1 {
		perPage = 30
	}
	perPage = min(perPage, 100)
	page := max(atoiDefault(q.Get("page"), 1), 1)
	last := max((len(items)+perPage-1)/perPage, 1)
	lo := min((page-1)*perPage, len(items))
	hi := min(lo+perPage, len(items))
	pageItems := items[lo:hi]
	if pageItems == nil {
		pageItems = []T{}
	}
	if link := linkHeader(r, page, last); link != "" {
		w.Header().Set("Link", link)
	}
	writeETagged(w, r, pageItems)
}

// writeWrappedPage is writePage for the endpoints that wrap their items
// in an object, {"total_count": n, key: [...]}, such as the Codespaces
// lists: the Link header pages the items, total_count counts them all.
func writeWrappedPage(w http.ResponseWriter, r *http.Request, key string, items []map[string]any) {
	q := r.URL.Query()
	perPage := min(max(atoiDefault(q.Get("per_page"), 30), 1), 100)
	page := max(atoiDefault(q.Get("page"), 1), 1)
	last := max((len(items)+perPage-1)/perPage, 1)
	lo := min((page-1)*perPage, len(items))
	hi := min(lo+perPage, len(items))
	if link := linkHeader(r, page, last); link != "" {
		w.Header().Set("Link", link)
	}
	pageItems := items[lo:hi]
	if pageItems == nil {
		pageItems = []map[string]any{}
	}
	writeETagged(w, r, map[string]any{"total_count": len(items), key: pageItems})
}

// writeETagged writes v with a strong ETag of its encoding, or 304 when the
// client already holds that version.
func writeETagged(w http.ResponseWriter, r *http.Request, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeMessage(w, http.StatusInternalServerError, "Server Error", "")
		return
	}
	sum := sha256.Sum256(b)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "private, max-age=60, s-maxage=60")
	if inm := r.Header.Get("If-None-Match"); inm != "" && (inm == etag || inm == "W/"+etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-GitHub-Media-Type", "github.v3; format=json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func linkHeader(r *http.Request, page, last int) string {
	pageURL := func(p int) string {
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path}
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		u.RawQuery = q.Encode()
		return u.String()
	}
	if rw := reqState(r); rw != nil && rw.s.faults.looping(rw.route) {
		return fmt.Sprintf(`<%s>; rel="next"`, pageURL(1))
	}
	var parts []string
	if page < last {
		parts = append(parts,
			fmt.Sprintf(`<%s>; rel="next"`, pageURL(page+1)),
			fmt.Sprintf(`<%s>; rel="last"`, pageURL(last)))
	}
	if page > 1 {
		parts = append(parts,
			fmt.Sprintf(`<%s>; rel="prev"`, pageURL(page-1)),
			fmt.Sprintf(`<%s>; rel="first"`, pageURL(1)))
	}
	return strings.Join(parts, ", ")
}

func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}
