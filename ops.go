package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"

	"github.com/offboard/offboard/storage"
)

// dbCollector reports what is in the database at scrape time: actions by
// state and connector, and the depths of the queue, outbox and inbox.
type dbCollector struct {
	db                       *storage.DB
	actions, queue, out, inb *prometheus.Desc
}

func newDBCollector(db *storage.DB) *dbCollector {
	return &dbCollector{db: db,
		actions: prometheus.NewDesc("offboard_actions", "Actions by connector (system) and state.", []string{"system", "state"}, nil),
		queue:   prometheus.NewDesc("offboard_queue_depth", "Approved actions queued for execution.", nil, nil),
		out:     prometheus.NewDesc("offboard_outbox_depth", "Messages waiting in the outbox.", nil, nil),
		inb:     prometheus.NewDesc("offboard_inbox_depth", "Envelopes stored and not yet processed.", nil, nil),
	}
}

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.actions
	ch <- c.queue
	ch <- c.out
	ch <- c.inb
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	q := c.db.Reader()
	if counts, err := storage.CountActions(ctx, q); err == nil {
		for _, a := range counts {
			ch <- prometheus.MustNewConstMetric(c.actions, prometheus.GaugeValue, float64(a.N), a.System, a.State)
		}
	}
	for desc, fn := range map[*prometheus.Desc]func(context.Context, storage.Querier) (int, error){
		c.queue: storage.QueueDepth, c.out: storage.OutboxDepth, c.inb: storage.InboxDepth} {
		if n, err := fn(ctx, q); err == nil {
			ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(n))
		}
	}
}

// opsServer serves /healthz, /readyz and /metrics.
func opsServer(reg *prometheus.Registry, db *storage.DB, connected func() bool) *http.Server {
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), newDBCollector(db))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !connected() {
			http.Error(w, "not ready: the Slack socket is not connected", http.StatusServiceUnavailable)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		// A read, not a write: the probe must not queue behind (or take)
		// the write lock that real work holds.
		if err := db.Ready(ctx); err != nil {
			http.Error(w, "not ready: the database cannot be read", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
}

// serveOps listens on addr and serves until ctx ends.
func serveOps(ctx context.Context, srv *http.Server, addr string, log zerolog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	log.Info().Str("addr", ln.Addr().String()).Msg("health and metrics listening")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		<-errc
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
