package fakeslack

import "strconv"

// newHashLocked gives a view version its hash; s.mu held.
func (s *Server) newHashLocked() string {
	s.seq++
	return strconv.FormatInt(s.now().Unix(), 10) + "." + strconv.FormatInt(s.seq, 36)
}

func (s *Server) viewsOpen(r *request) (map[string]any, *apiError) {
	v, errs := checkView(r.raw("view"), "modal")
	if errs != nil {
		return nil, invalidView(errs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	user, e := s.exchangeTriggerLocked(r.str("trigger_id"))
	if e != nil {
		return nil, e
	}
	v.ID, v.User, v.Hash = s.nextIDLocked("V"), user, s.newHashLocked()
	v.RootViewID = v.ID
	s.modals[user] = []*View{v}
	s.viewsByID[v.ID] = v
	s.notifyLocked()
	return map[string]any{"view": s.viewJSONLocked(v, nil)}, nil
}

// viewsPush stacks a modal on the user's open one; Slack allows three.
func (s *Server) viewsPush(r *request) (map[string]any, *apiError) {
	v, errs := checkView(r.raw("view"), "modal")
	if errs != nil {
		return nil, invalidView(errs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	user, e := s.exchangeTriggerLocked(r.str("trigger_id"))
	if e != nil {
		return nil, e
	}
	stack := s.modals[user]
	if len(stack) == 0 {
		return nil, fail("not_found")
	}
	if len(stack) >= 3 {
		return nil, fail("push_limit_reached")
	}
	s.pushViewLocked(user, v)
	return map[string]any{"view": s.viewJSONLocked(v, nil)}, nil
}

func (s *Server) pushViewLocked(user string, v *View) {
	stack := s.modals[user]
	top := stack[len(stack)-1]
	v.ID, v.User, v.Hash = s.nextIDLocked("V"), user, s.newHashLocked()
	v.RootViewID, v.PreviousViewID = top.RootViewID, top.ID
	s.modals[user] = append(stack, v)
	s.viewsByID[v.ID] = v
	s.notifyLocked()
}

// viewsUpdate replaces an open modal, found by view_id or external_id;
// a stale hash is a hash_conflict.
func (s *Server) viewsUpdate(r *request) (map[string]any, *apiError) {
	nv, errs := checkView(r.raw("view"), "modal")
	if errs != nil {
		return nil, invalidView(errs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var v *View
	if id := r.str("view_id"); id != "" {
		v = s.viewsByID[id]
	} else if ext := r.str("external_id"); ext != "" {
		for _, x := range s.viewsByID {
			if x.ExternalID == ext && x.Type == "modal" {
				v = x
			}
		}
	}
	if v == nil || v.Type != "modal" || !s.isOpenLocked(v) {
		return nil, fail("not_found")
	}
	if h := r.str("hash"); h != "" && h != v.Hash {
		return nil, fail("hash_conflict")
	}
	s.replaceViewLocked(v, nv)
	return map[string]any{"view": s.viewJSONLocked(v, nil)}, nil
}

// replaceViewLocked puts new content into an open view, keeping its id.
func (s *Server) replaceViewLocked(v, nv *View) {
	v.Type, v.Title, v.Submit, v.Close, v.Blocks = nv.Type, nv.Title, nv.Submit, nv.Close, nv.Blocks
	v.CallbackID, v.PrivateMetadata, v.ExternalID = nv.CallbackID, nv.PrivateMetadata, nv.ExternalID
	v.NotifyOnClose, v.Errors, v.Hash = nv.NotifyOnClose, nil, s.newHashLocked()
	s.notifyLocked()
}

func (s *Server) isOpenLocked(v *View) bool {
	for _, x := range s.modals[v.User] {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Server) viewsPublish(r *request) (map[string]any, *apiError) {
	nv, errs := checkView(r.raw("view"), "home")
	if errs != nil {
		return nil, invalidView(errs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	uid := r.str("user_id")
	if u, ok := s.users[uid]; !ok || u.Deleted || u.IsBot {
		return nil, fail("user_not_found")
	}
	v, ok := s.homes[uid]
	if ok {
		if h := r.str("hash"); h != "" && h != v.Hash {
			return nil, fail("hash_conflict")
		}
		s.replaceViewLocked(v, nv)
	} else {
		v = nv
		v.ID, v.User, v.Hash = s.nextIDLocked("V"), uid, s.newHashLocked()
		v.RootViewID = v.ID
		s.homes[uid] = v
		s.viewsByID[v.ID] = v
		s.notifyLocked()
	}
	return map[string]any{"view": s.viewJSONLocked(v, nil)}, nil
}
