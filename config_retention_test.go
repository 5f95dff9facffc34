package main

import (
	"strings"
	"testing"
)

func TestRetentionDefaultsTo30DaysAndRefusesNonsense(t *testing.T) {
	cfg, err := parseConfig([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Retention.InboxDays != 30 || cfg.Retention.OutboxDays != 30 {
		t.Errorf("retention defaults = %+v; want 30 and 30 days", cfg.Retention)
	}
	cfg, err = parseConfig([]byte(minimal + "retention: {inbox_days: 7}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Retention.InboxDays != 7 || cfg.Retention.OutboxDays != 30 {
		t.Errorf("retention = %+v; want inbox 7, outbox the default 30", cfg.Retention)
	}
	for _, bad := range []string{"retention: {inbox_days: -1}\n", "retention: {outbox_dayz: 3}\n"} {
		_, err := parseConfig([]byte(minimal + bad))
		if err == nil || !strings.Contains(err.Error(), "retention") {
			t.Errorf("%q: err = %v; want a mistake naming retention", bad, err)
		}
	}
}
