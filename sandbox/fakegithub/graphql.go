package fakegithub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// graphql answers POST /graphql: {"data":…} with "errors" beside it for
// field errors (a login that does not resolve), or only {"errors":…} for a
// query that does not parse or validate, as GitHub does.
func (s *Server) graphql(w http.ResponseWriter, r *http.Request) {
	rw := reqState(r)
	var body struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeMessage(w, http.StatusBadRequest, "Problems parsing JSON", "https://docs.github.com/graphql")
		return
	}
	if s.faults.timesOut(body.Query) {
		writeJSON(w, http.StatusBadGateway, map[string]any{"data": nil, "errors": []map[string]string{{
			"message": "Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `FAKE` when reporting this issue."}}})
		return
	}
	doc, err := parseGraphQL(body.Query)
	if err != nil {
		se := err.(*syntaxError)
		writeJSON(w, http.StatusOK, map[string]any{"errors": []*gqlError{{
			Message: se.msg, Locations: []gqlLocation{{Line: se.line, Column: se.col}},
		}}})
		return
	}
	rw.cost = queryCost(doc.sel, 1)
	ex := &gqlExec{s: s, r: r, caller: rw.principal, vars: body.Variables, defs: map[string]gqlVarDef{}}
	for _, d := range doc.vars {
		ex.defs[d.name] = d
		if _, ok := body.Variables[d.name]; !ok && d.def == nil && strings.HasSuffix(d.typ, "!") {
			ex.errs = append(ex.errs, &gqlError{
				Message:    fmt.Sprintf("Variable $%s of type %s was provided invalid value", d.name, d.typ),
				Extensions: map[string]any{"value": nil, "problems": []map[string]any{{"path": []any{}, "explanation": "Expected value to not be null"}}},
				invalid:    true,
			})
		}
	}
	var data *orderedMap
	if len(ex.errs) == 0 {
		s.mu.Lock()
		data = ex.selectObject(queryRoot{}, doc.sel, nil)
		s.mu.Unlock()
	}
	var invalid []*gqlError
	for _, e := range ex.errs {
		if e.invalid {
			invalid = append(invalid, e)
		}
	}
	switch {
	case len(invalid) > 0:
		writeJSON(w, http.StatusOK, map[string]any{"errors": invalid})
	case len(ex.errs) > 0:
		writeJSON(w, http.StatusOK, map[string]any{"data": data, "errors": ex.errs})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"data": data})
	}
}

// queryCost approximates GitHub's point cost: the nodes a query may
// request (each connection's first/last times its parents'), per 100,
// at least 1.
func queryCost(sel []*gqlField, parent int) int {
	total := 0
	var walk func([]*gqlField, int)
	walk = func(fs []*gqlField, mult int) {
		for _, f := range fs {
			m := mult
			for _, a := range f.args {
				if (a.name == "first" || a.name == "last") && f.sel != nil {
					n := 100
					if a.value.kind == vInt {
						fmt.Sscan(a.value.raw, &n)
					}
					m = mult * n
					total += mult
				}
			}
			walk(f.sel, m)
		}
	}
	walk(sel, parent)
	return max(1, total/100)
}

// checkArgs refuses arguments the field does not take and missing
// required ones (those named with a trailing "!").
func checkArgs(typ string, f *gqlField, args map[string]any, allowed ...string) error {
	ok := map[string]bool{}
	for _, a := range allowed {
		name, required := strings.CutSuffix(a, "!")
		ok[name] = true
		if _, given := args[name]; required && !given {
			return &gqlError{Message: fmt.Sprintf("Field '%s' is missing required arguments: %s", f.name, name),
				Extensions: map[string]any{"code": "missingRequiredArguments", "className": "Field", "name": f.name, "arguments": name}, invalid: true}
		}
	}
	for name := range args {
		if !ok[name] {
			return &gqlError{Message: fmt.Sprintf("Field '%s' doesn't accept argument '%s'", f.name, name),
				Extensions: map[string]any{"code": "argumentNotAccepted", "name": f.name, "typeName": typ, "argumentName": name}, invalid: true}
		}
	}
	return nil
}

func argString(args map[string]any, name string) string {
	s, _ := args[name].(string)
	return s
}

func argInt(args map[string]any, name string) (int, bool) {
	n, ok := args[name].(int)
	return n, ok
}

func argStrings(args map[string]any, name string) []string {
	var out []string
	switch v := args[name].(type) {
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	case string:
		out = append(out, v)
	}
	return out
}
