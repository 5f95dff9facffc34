package fakeslack

// methods is the Web API the fake serves. The scopes are Slack's documented
// bot scopes for each method.
func (s *Server) methods() map[string]methodSpec {
	return map[string]methodSpec{
		"auth.test":               {handle: (*Server).authTest},
		"apps.connections.open":   {handle: (*Server).connectionsOpen, app: true},
		"chat.postMessage":        {handle: (*Server).chatPostMessage, scope: "chat:write"},
		"chat.update":             {handle: (*Server).chatUpdate, scope: "chat:write"},
		"chat.postEphemeral":      {handle: (*Server).chatPostEphemeral, scope: "chat:write"},
		"chat.delete":             {handle: (*Server).chatDelete, scope: "chat:write"},
		"conversations.replies":   {handle: (*Server).conversationsReplies},
		"conversations.history":   {handle: (*Server).conversationsHistory},
		"conversations.info":      {handle: (*Server).conversationsInfo},
		"views.open":              {handle: (*Server).viewsOpen},
		"views.push":              {handle: (*Server).viewsPush},
		"views.update":            {handle: (*Server).viewsUpdate},
		"views.publish":           {handle: (*Server).viewsPublish},
		"users.info":              {handle: (*Server).usersInfo, scope: "users:read"},
		"users.lookupByEmail":     {handle: (*Server).usersLookupByEmail, scope: "users:read.email"},
		"users.list":              {handle: (*Server).usersList, scope: "users:read"},
		"usergroups.list":         {handle: (*Server).usergroupsList, scope: "usergroups:read"},
		"usergroups.users.list":   {handle: (*Server).usergroupsUsersList, scope: "usergroups:read"},
		"usergroups.users.update": {handle: (*Server).usergroupsUsersUpdate, scope: "usergroups:write"},
		"usergroups.disable":      {handle: (*Server).usergroupsDisable, scope: "usergroups:write"},
		// Admin methods take only a user token (doc: each method's "Scopes: User token").
		"team.accessLogs":           {handle: (*Server).teamAccessLogs, userScope: "admin", userOnly: true},
		"admin.users.list":          {handle: (*Server).adminUsersList, userScope: "admin.users:read", userOnly: true},
		"admin.users.session.reset": {handle: (*Server).adminUsersSessionReset, userScope: "admin.users:write", userOnly: true},
	}
}
