package bot

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the bot's Prometheus metrics.
type Metrics struct {
	AckLatency  prometheus.Histogram
	Envelopes   *prometheus.CounterVec
	OutboxSent  *prometheus.CounterVec
	OutboxError *prometheus.CounterVec
}

// NewMetrics creates the metrics and registers them with reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		AckLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "offboard_ack_latency_seconds",
			Help:    "Time from receiving a Socket Mode envelope to acknowledging it (after it is stored).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 3},
		}),
		Envelopes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "offboard_envelopes_total",
			Help: "Socket Mode envelopes received, by type.",
		}, []string{"type"}),
		OutboxSent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "offboard_outbox_sent_total",
			Help: "Messages delivered from the outbox, by operation.",
		}, []string{"op"}),
		OutboxError: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "offboard_outbox_errors_total",
			Help: "Failed deliveries from the outbox, by operation and kind (rate_limited, retry, refused).",
		}, []string{"op", "kind"}),
	}
	if reg != nil {
		reg.MustRegister(m.AckLatency, m.Envelopes, m.OutboxSent, m.OutboxError)
	}
	return m
}
