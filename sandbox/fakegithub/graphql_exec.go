package fakegithub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// gqlObject is a value of a GraphQL object type: it resolves its fields.
type gqlObject interface {
	typeName() string
	// field resolves f with its arguments already bound. It returns a
	// scalar, a gqlObject, a []gqlObject, nil, or an error.
	field(ex *gqlExec, f *gqlField, args map[string]any) (any, error)
}

// gqlError is one entry of the "errors" list, shaped as GitHub's.
type gqlError struct {
	Type       string         `json:"type,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Locations  []gqlLocation  `json:"locations,omitempty"`
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions,omitempty"`
	// invalid marks a validation error: the whole query is refused.
	invalid bool
}

type gqlLocation struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

func (e *gqlError) Error() string { return e.Message }

func undefinedField(typ string, f *gqlField) *gqlError {
	return &gqlError{
		Message:    fmt.Sprintf("Field '%s' doesn't exist on type '%s'", f.name, typ),
		Extensions: map[string]any{"code": "undefinedField", "typeName": typ, "fieldName": f.name},
		invalid:    true,
	}
}

func notFound(msg string) *gqlError { return &gqlError{Type: "NOT_FOUND", Message: msg} }

// gqlExec runs one query for one caller.
type gqlExec struct {
	s      *Server
	r      *http.Request
	caller *principal
	vars   map[string]any
	defs   map[string]gqlVarDef
	errs   []*gqlError
}

// orderedMap keeps the selection order in the JSON, as GitHub does.
type orderedMap struct {
	keys []string
	vals []any
}

func (m *orderedMap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range m.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(m.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (ex *gqlExec) selectObject(obj gqlObject, sel []*gqlField, path []any) *orderedMap {
	out := &orderedMap{}
	for _, f := range sel {
		out.keys = append(out.keys, f.key())
		out.vals = append(out.vals, ex.resolveField(obj, f, append(path[:len(path):len(path)], f.key())))
	}
	return out
}

func (ex *gqlExec) resolveField(obj gqlObject, f *gqlField, path []any) any {
	if f.name == "__typename" {
		return obj.typeName()
	}
	args, err := ex.bindArgs(f)
	var v any
	if err == nil {
		v, err = obj.field(ex, f, args)
	}
	if err != nil {
		ex.fail(err, f, path)
		return nil
	}
	return ex.complete(v, f, path)
}

func (ex *gqlExec) complete(v any, f *gqlField, path []any) any {
	switch val := v.(type) {
	case nil:
		return nil
	case gqlObject:
		if len(f.sel) == 0 {
			ex.fail(&gqlError{Message: fmt.Sprintf("Field must have selections (field '%s' returns %s but has no selections. Did you mean '%s { ... }'?)", f.name, val.typeName(), f.name), invalid: true}, f, path)
			return nil
		}
		return ex.selectObject(val, f.sel, path)
	case []gqlObject:
		out := make([]any, len(val))
		for i, o := range val {
			out[i] = ex.complete(o, f, append(path[:len(path):len(path)], i))
		}
		return out
	default:
		if len(f.sel) > 0 {
			ex.fail(&gqlError{Message: fmt.Sprintf("Selections can't be made on scalars (field '%s' returns a scalar but has selections)", f.name), invalid: true}, f, path)
			return nil
		}
		return v
	}
}

func (ex *gqlExec) fail(err error, f *gqlField, path []any) {
	ge, ok := err.(*gqlError)
	if !ok {
		ge = &gqlError{Message: err.Error()}
	}
	e := *ge
	e.Locations = []gqlLocation{{Line: f.line, Column: f.col}}
	if e.invalid {
		e.Path = append([]any{"query"}, path...)
	} else {
		e.Path = path
	}
	ex.errs = append(ex.errs, &e)
}

// bindArgs turns f's arguments into Go values, substituting variables.
func (ex *gqlExec) bindArgs(f *gqlField) (map[string]any, error) {
	args := make(map[string]any, len(f.args))
	for _, a := range f.args {
		v, err := ex.bindValue(a.value)
		if err != nil {
			return nil, err
		}
		args[a.name] = v
	}
	return args, nil
}

func (ex *gqlExec) bindValue(v gqlValue) (any, error) {
	switch v.kind {
	case vString, vEnum:
		return v.raw, nil
	case vInt:
		return strconv.Atoi(v.raw)
	case vFloat:
		return strconv.ParseFloat(v.raw, 64)
	case vBool:
		return v.raw == "true", nil
	case vNull:
		return nil, nil
	case vList:
		out := make([]any, 0, len(v.list))
		for _, x := range v.list {
			b, err := ex.bindValue(x)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
		}
		return out, nil
	case vObject:
		out := map[string]any{}
		for k, x := range v.obj {
			b, err := ex.bindValue(x)
			if err != nil {
				return nil, err
			}
			out[k] = b
		}
		return out, nil
	}
	def, ok := ex.defs[v.raw]
	if !ok {
		return nil, &gqlError{Message: fmt.Sprintf("Variable $%s is used but not declared", v.raw), invalid: true}
	}
	if val, ok := ex.vars[v.raw]; ok {
		if n, isNum := val.(float64); isNum && n == float64(int(n)) {
			return int(n), nil // JSON numbers bound to Int arguments
		}
		return val, nil
	}
	if def.def != nil {
		return ex.bindValue(*def.def)
	}
	return nil, nil
}
