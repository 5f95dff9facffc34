package company

// Config is the configuration file the sandbox's bot runs with, exactly as
// an operator would write it; the page shows it. Dana is linked by the file,
// everyone else by email (Slack profile ↔ IAM tag) or not at all.
const Config = `# offboard.yml of the simulated company
timezone: Europe/Berlin
execute_at: "09:00"
slack:
  approvals_channel: C0APPROVALS   # #approvals
  requesters: [S0MANAGERS]         # @managers
  approvers: [S0SECURITY]          # @security
policy:
  approvals_required: 1
  two_person_rule: true
reminders: {after: 4h}
dormancy: {schedule: "0 3 * * *", inactive_days: 90}
github: {org: acme}
aws: {mode: disable}
slack_connector: {usergroups: true}
manual_tasks: ["Collect laptop"]
identities:
  - {slack: U0DANA, github: dana-gh, aws: dana}
`
