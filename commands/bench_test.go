package commands

import (
	"strings"
	"testing"
)

func BenchmarkParse(b *testing.B) {
	env := testEnv(b)
	for _, bc := range []struct{ name, text string }{
		{"request", "<@U0DANA|dana> on 2024-07-01 14:30 contract ended, see <https://jira.example.com/browse/OFF-1|OFF-1>"},
		{"longest reason", "<@U0DANA> on tomorrow " + strings.Repeat("reason &amp; ", 70)},
		{"link", "link <@U0DANA> github:dana-gh aws:dana@prod"},
		{"refused", "<@U0DANA> on 2024-03-31 02:30"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = Parse(bc.text, env)
			}
		})
	}
}
