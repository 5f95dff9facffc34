// Package company is the simulated company `offboard sandbox` runs against:
// its people, their Slack workspace, GitHub org and AWS account, and the
// configuration the bot is given for it. It seeds the fakes under sandbox/
// through their seed APIs and knows nothing of the bot's insides.
package company

// Roles a person plays in the story, for the page's user switcher.
const (
	RoleManager  = "manager"
	RoleApprover = "approver"
	RoleBoth     = "approver and requester"
	RoleDev      = "developer"
	RoleOutsider = "outsider"
	RoleService  = "service account"
)

// Person is someone in the company, with their accounts.
type Person struct {
	SlackID  string
	Handle   string
	RealName string
	Email    string
	Role     string
	GitHub   string // login, "" when none
	AWS      string // IAM user name, "" when none
}

// IDs the page and the story name.
const (
	Approvals = "C0APPROVALS"
	General   = "C0GENERAL"
	Managers  = "S0MANAGERS"
	Security  = "S0SECURITY"
	Org       = "acme"
	Account   = "123456789012"

	Maria = "U0MARIA"
	Alex  = "U0ALEX"
	Dana  = "U0DANA"
	Olly  = "U0OLLY"
)

// People lists everyone, managers and approvers first, then developers,
// then the rest; the page's switcher shows them in this order.
func People() []Person {
	return []Person{
		{SlackID: Maria, Handle: "maria", RealName: "Maria Manager", Role: RoleManager},
		{SlackID: "U0TOM", Handle: "tom", RealName: "Tom Teamlead", Role: RoleManager},
		{SlackID: Alex, Handle: "alex", RealName: "Alex Approver", Role: RoleApprover},
		{SlackID: "U0BEA", Handle: "bea", RealName: "Bea Security", Role: RoleApprover},
		{SlackID: "U0PRIYA", Handle: "priya", RealName: "Priya Platform", Role: RoleBoth, GitHub: "priya-gh"},
		{SlackID: Dana, Handle: "dana", RealName: "Dana Developer", Role: RoleDev, GitHub: "dana-gh", AWS: "dana"},
		{SlackID: "U0ELI", Handle: "eli", RealName: "Eli Engineer", Role: RoleDev, GitHub: "eli-gh", AWS: "eli"},
		{SlackID: "U0FATIMA", Handle: "fatima", RealName: "Fatima Frontend", Role: RoleDev, GitHub: "fatima-gh"},
		{SlackID: "U0GEORGE", Handle: "george", RealName: "George Go", Role: RoleDev, GitHub: "george-gh", AWS: "george"},
		{SlackID: "U0HANA", Handle: "hana", RealName: "Hana Newhire", Role: RoleDev},
		{SlackID: "U0IVAN", Handle: "ivan", RealName: "Ivan Infra", Role: RoleDev, GitHub: "ivan-gh", AWS: "ivan"},
		{SlackID: "U0JUN", Handle: "jun", RealName: "Jun Data", Role: RoleDev, GitHub: "jun-gh", AWS: "jun"},
		{SlackID: "U0KOFI", Handle: "kofi", RealName: "Kofi Mobile", Role: RoleDev, GitHub: "kofi-gh"},
		{SlackID: "U0LENA", Handle: "lena", RealName: "Lena Legacy", Role: RoleDev, GitHub: "lena-gh", AWS: "lena"},
		{SlackID: "U0MO", Handle: "mo", RealName: "Mo Contractor", Role: RoleDev, GitHub: "mo-contractor"},
		{SlackID: "U0NORA", Handle: "nora", RealName: "Nora Nightly", Role: RoleDev, GitHub: "nora-gh", AWS: "nora"},
		{SlackID: "U0OMAR", Handle: "omar", RealName: "Omar Ops", Role: RoleDev, GitHub: "omar-gh", AWS: "omar"},
		{SlackID: Olly, Handle: "olly", RealName: "Olly Outsider", Role: RoleOutsider},
		{SlackID: "U0DEPLOY", Handle: "deploybot", RealName: "Deploy Bot", Role: RoleService, GitHub: "acme-ci", AWS: "ci-deploy"},
	}
}

// Email is the person's work address, the key identity linking matches on.
func (p Person) email() string {
	if p.Email != "" {
		return p.Email
	}
	return p.Handle + "@acme.test"
}
