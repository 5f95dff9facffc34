package web

// emoji maps the shortcodes the bot and its users are likely to write to
// the characters Slack shows. A shortcode not here stays as typed, which is
// what Slack does with an unknown one.
var emoji = map[string]string{
	"warning": "⚠️", "white_check_mark": "✅", "heavy_check_mark": "✔️", "ballot_box_with_check": "☑️",
	"x": "❌", "no_entry": "⛔", "no_entry_sign": "🚫", "zzz": "💤", "double_vertical_bar": "⏸️",
	"arrows_counterclockwise": "🔄", "repeat": "🔁", "alarm_clock": "⏰", "white_circle": "⚪",
	"large_yellow_circle": "🟡", "large_green_circle": "🟢", "red_circle": "🔴", "large_blue_circle": "🔵",
	"sparkles": "✨", "robot_face": "🤖", "mag": "🔍", "hourglass": "⌛", "hourglass_flowing_sand": "⏳",
	"heavy_minus_sign": "➖", "heavy_plus_sign": "➕", "checklist": "📋", "clipboard": "📋", "calendar": "📅",
	"date": "📅", "bell": "🔔", "arrow_forward": "▶️", "wave": "👋", "tada": "🎉", "lock": "🔒",
	"unlock": "🔓", "key": "🔑", "shield": "🛡️", "busts_in_silhouette": "👥", "bust_in_silhouette": "👤",
	"information_source": "ℹ️", "question": "❓", "exclamation": "❗", "bangbang": "‼️", "fire": "🔥",
	"rotating_light": "🚨", "octagonal_sign": "🛑", "stopwatch": "⏱️", "clock9": "🕘", "link": "🔗",
	"memo": "📝", "pencil": "📝", "page_facing_up": "📄", "inbox_tray": "📥", "outbox_tray": "📤",
	"thumbsup": "👍", "+1": "👍", "thumbsdown": "👎", "-1": "👎", "eyes": "👀", "hand": "✋",
	"raised_hand": "✋", "point_right": "👉", "computer": "💻", "cloud": "☁️", "octocat": "🐙",
	"github": "🐙", "gear": "⚙️", "wrench": "🔧", "hammer_and_wrench": "🛠️", "package": "📦",
	"broom": "🧹", "wastebasket": "🗑️", "skull": "💀", "ghost": "👻", "sleeping": "😴",
	"smile": "😄", "slightly_smiling_face": "🙂", "thinking_face": "🤔", "pray": "🙏", "ok_hand": "👌",
	"heavy_exclamation_mark": "❗", "arrow_right": "➡️", "leftwards_arrow_with_hook": "↩️",
	"spiral_calendar_pad": "🗓️", "hourglass_done": "⌛", "label": "🏷️", "bookmark": "🔖",
	"scroll": "📜", "receipt": "🧾", "chains": "⛓️", "closed_lock_with_key": "🔐", "door": "🚪",
	"new": "🆕", "ok": "🆗", "sos": "🆘", "construction": "🚧", "mailbox": "📫", "email": "📧",
	"speech_balloon": "💬", "loudspeaker": "📢", "mega": "📣", "pushpin": "📌", "round_pushpin": "📍",
	"part_alternation_mark": "〽️", "dart": "🎯", "trophy": "🏆", "medal": "🏅", "star": "⭐",
}
