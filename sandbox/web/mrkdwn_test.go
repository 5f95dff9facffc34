package web

import (
	"strings"
	"testing"
)

func TestMrkdwnRendersWhatSlackFormats(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"bold", "*Approve* it", "<b>Approve</b> it"},
		{"italics", "_linked by config_", "<i>linked by config</i>"},
		{"strike", "~old~ new", "<s>old</s> new"},
		{"code", "type `/offboard help`", "type <code>/offboard help</code>"},
		{"code keeps markup characters as text", "`*a* &lt;b&gt;`", "<code>*a* &lt;b&gt;</code>"},
		{"a code block", "```line 1\nline *2*```", "<pre>line 1\nline *2*</pre>"},
		{"a quote", "&gt; held: waiting for IT\nnext", "<blockquote>held: waiting for IT</blockquote>next"},
		{"nested bold in italics", "_see *this*_", "<i>see <b>this</b></i>"},
		{"an asterisk inside a word is text", "2*3*4", "2*3*4"},
		{"a user mention shows the name", "<@U0DANA>", `<span class="mention" data-user="U0DANA">@dana</span>`},
		{"a user mention with a label uses it", "<@U0X|ghost>", `<span class="mention" data-user="U0X">@ghost</span>`},
		{"an unknown user shows the ID", "<@U0NOBODY>", `<span class="mention" data-user="U0NOBODY">@U0NOBODY</span>`},
		{"a channel mention", "<#C0APPROVALS>", `<span class="mention">#approvals</span>`},
		{"a group mention", "<!subteam^S0SECURITY>", `<span class="mention">@security</span>`},
		{"a group mention with its handle", "<!subteam^S0X|@oncall>", `<span class="mention">@oncall</span>`},
		{"@here", "<!here>", `<span class="mention">@here</span>`},
		{"a date shows its fallback", "<!date^1700000000^{date}|Nov 14>", "Nov 14"},
		{"a link with a label shows where it goes", "<https://github.com/acme|the org>",
			`<a href="https://github.com/acme" rel="noopener noreferrer" target="_blank">the org</a> <span class="link-target">(https://github.com/acme)</span>`},
		{"a bare link", "<https://example.com/a?b=1&amp;c=2>", `<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer" target="_blank">https://example.com/a?b=1&amp;c=2</a>`},
		{"emoji", ":white_check_mark: done :zzz:", `<span class="emoji" title=":white_check_mark:">✅</span> done <span class="emoji" title=":zzz:">💤</span>`},
		{"an unknown shortcode stays", ":not_an_emoji: at 09:00:00", ":not_an_emoji: at 09:00:00"},
		{"other scripts pass through", "Zoë · 東京 — ok", "Zoë · 東京 — ok"},
		{"a bare ampersand is escaped", "R&D", "R&amp;D"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := names.mrkdwn(tc.in); got != tc.want {
				t.Errorf("mrkdwn(%q) =\n %q\nwant\n %q", tc.in, got, tc.want)
			}
		})
	}
}

// What a user typed reaches the page escaped by the bot (&, <, >) or, if
// the bot forgot, raw. Either way it must never run or pose as a control.
func TestUserTextNeverBecomesMarkup(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"an escaped script tag is text", "Reason: &lt;script&gt;alert(1)&lt;/script&gt;", "Reason: &lt;script&gt;alert(1)&lt;/script&gt;"},
		{"an escaped link is text", "&lt;https://evil|Approve&gt;", "&lt;https://evil|Approve&gt;"},
		{"a raw script tag is text", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"a raw link shows its target next to its label", "<https://evil|Approve>",
			`<a href="https://evil" rel="noopener noreferrer" target="_blank">Approve</a> <span class="link-target">(https://evil)</span>`},
		{"a javascript: link is text", "<javascript:alert(1)|Approve>", "&lt;javascript:alert(1)|Approve&gt;"},
		{"a data: link is text", "<data:text/html,x|y>", "&lt;data:text/html,x|y&gt;"},
		{"a quote cannot leave an attribute", `<https://a.example/"onmouseover="x|hi>`,
			`<a href="https://a.example/&#34;onmouseover=&#34;x" rel="noopener noreferrer" target="_blank">hi</a> <span class="link-target">(https://a.example/&#34;onmouseover=&#34;x)</span>`},
		{"a mention label cannot inject", "<@U0X|<img src=x onerror=alert(1)>>", `@&lt;img src=x onerror=alert(1)</span>&gt;`},
		{"markup in bold stays text", "*<b>hi</b>*", "<b>&lt;b&gt;hi&lt;/b&gt;</b>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := names.mrkdwn(tc.in)
			if !strings.Contains(got, tc.want) {
				t.Errorf("mrkdwn(%q) =\n %q\nwant it to contain\n %q", tc.in, got, tc.want)
			}
			for _, bad := range []string{"<script", "<img", "javascript:alert(1)\"", "onerror=alert(1)>"} {
				if strings.Contains(strings.ToLower(got), bad) && !strings.Contains(got, "&lt;") {
					t.Errorf("mrkdwn(%q) produced markup %q: %s", tc.in, bad, got)
				}
			}
		})
	}
}

func TestPlainTextIsEscapedWithEmoji(t *testing.T) {
	if got := plainText(`<b>Hold</b> :zzz: & "x"`, true); got != "&lt;b&gt;Hold&lt;/b&gt; 💤 &amp; &#34;x&#34;" {
		t.Errorf("plainText = %q", got)
	}
	if got := plainText(":zzz:", false); got != ":zzz:" {
		t.Errorf("plainText without emoji = %q", got)
	}
}
