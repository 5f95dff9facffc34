package storage

import (
	"context"
	"testing"
	"time"
)

// BenchmarkAuditAppend measures appends, 100 events per transaction (how
// the flows write them in a burst), and reports events/s.
func BenchmarkAuditAppend(b *testing.B) {
	db := openTemp(b)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i += 100 {
		err := db.Write(ctx, func(tx *Tx) error {
			for j := 0; j < 100; j++ {
				if err := tx.Audit(ctx, &Event{Type: EventApproved, CaseID: 1, ActionID: int64(i + j), Actor: "U0SEC",
					Details: Details(map[string]any{"approvals": 1})}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkAuditVerify measures `offboard audit verify` over 200,000 events
// and reports events/s (the product asks at least 200,000).
func BenchmarkAuditVerify(b *testing.B) {
	db := openTemp(b)
	appendEvents(b, db, 200000)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	var total int64
	for i := 0; i < b.N; i++ {
		n, broken, err := db.VerifyAudit(ctx)
		if err != nil || broken != nil {
			b.Fatal(err, broken)
		}
		total += n
	}
	b.ReportMetric(float64(total)/time.Since(start).Seconds(), "events/s")
}
