package web

import (
	"fmt"
	"net/http"
	"time"
)

// events streams a "change" event whenever anything the page shows may
// have changed; the page then fetches /state. Server-sent events need no
// library on either side and reconnect by themselves.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	keep := time.NewTicker(15 * time.Second)
	defer keep.Stop()
	for {
		v, ch := s.watch()
		if _, err := fmt.Fprintf(w, "event: change\ndata: %d\n\n", v); err != nil {
			return
		}
		fl.Flush()
		select {
		case <-r.Context().Done():
			return
		case <-ch:
		case <-keep.C:
		}
	}
}
