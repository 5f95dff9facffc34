package fakegithub

import "fmt"

// A small GraphQL parser for the query language subset clients send:
// one query operation with variables, fields, aliases and arguments
// (strings, numbers, booleans, null, enums, lists, objects, variables).
// Fragments, directives and mutations are refused with an error.

type gqlField struct {
	alias, name string
	args        []gqlArg
	sel         []*gqlField
	line, col   int
}

func (f *gqlField) key() string {
	if f.alias != "" {
		return f.alias
	}
	return f.name
}

type gqlArg struct {
	name  string
	value gqlValue
}

type valueKind int

const (
	vString valueKind = iota
	vInt
	vFloat
	vBool
	vNull
	vEnum
	vList
	vObject
	vVariable
)

type gqlValue struct {
	kind valueKind
	raw  string // string contents, number text, enum name, variable name
	list []gqlValue
	obj  map[string]gqlValue
}

type gqlVarDef struct {
	name, typ string
	def       *gqlValue
}

type gqlDoc struct {
	vars []gqlVarDef
	sel  []*gqlField
}

type gqlParser struct {
	src       string
	pos       int
	line, col int
}

type syntaxError struct {
	msg       string
	line, col int
}

func (e *syntaxError) Error() string { return e.msg }

func parseGraphQL(src string) (doc *gqlDoc, err error) {
	p := &gqlParser{src: src, line: 1, col: 1}
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*syntaxError)
			if !ok {
				panic(r)
			}
			err = se
		}
	}()
	doc = &gqlDoc{}
	p.skip()
	if p.peekName() {
		switch kw := p.name(); kw {
		case "query":
		case "mutation", "subscription":
			p.fail("this server supports only queries, not %s", kw)
		default:
			p.fail("unexpected %q", kw)
		}
		if p.peekName() {
			p.name() // operation name
		}
		if p.peek('(') {
			doc.vars = p.varDefs()
		}
	}
	doc.sel = p.selectionSet()
	p.skip()
	if p.pos < len(p.src) {
		p.fail("unexpected %q after the operation", string(p.src[p.pos]))
	}
	return doc, nil
}

func (p *gqlParser) fail(format string, args ...any) {
	panic(&syntaxError{msg: "Parse error: " + fmt.Sprintf(format, args...), line: p.line, col: p.col})
}

func (p *gqlParser) varDefs() []gqlVarDef {
	p.expect('(')
	var defs []gqlVarDef
	for !p.peek(')') {
		p.expect('$')
		d := gqlVarDef{name: p.name()}
		p.expect(':')
		d.typ = p.typeRef()
		if p.peek('=') {
			p.advance(1)
			v := p.value(true)
			d.def = &v
		}
		defs = append(defs, d)
	}
	p.expect(')')
	return defs
}

func (p *gqlParser) typeRef() string {
	var t string
	if p.peek('[') {
		p.advance(1)
		t = "[" + p.typeRef() + "]"
		p.expect(']')
	} else {
		t = p.name()
	}
	if p.peek('!') {
		p.advance(1)
		t += "!"
	}
	return t
}

func (p *gqlParser) selectionSet() []*gqlField {
	p.expect('{')
	var out []*gqlField
	for !p.peek('}') {
		if p.peek('.') || p.peek('@') {
			p.fail("fragments and directives are not supported")
		}
		out = append(out, p.field())
	}
	p.expect('}')
	if len(out) == 0 {
		p.fail("empty selection set")
	}
	return out
}

func (p *gqlParser) field() *gqlField {
	p.skip()
	f := &gqlField{line: p.line, col: p.col}
	f.name = p.name()
	if p.peek(':') {
		p.advance(1)
		f.alias, f.name = f.name, p.name()
	}
	if p.peek('(') {
		p.advance(1)
		for !p.peek(')') {
			a := gqlArg{name: p.name()}
			p.expect(':')
			a.value = p.value(false)
			f.args = append(f.args, a)
		}
		p.expect(')')
	}
	if p.peek('{') {
		f.sel = p.selectionSet()
	}
	return f
}

func (p *gqlParser) value(constant bool) gqlValue {
	p.skip()
	if p.pos >= len(p.src) {
		p.fail("unexpected end of query")
	}
	switch c := p.src[p.pos]; {
	case c == '$':
		if constant {
			p.fail("variables are not allowed here")
		}
		p.advance(1)
		return gqlValue{kind: vVariable, raw: p.name()}
	case c == '"':
		return gqlValue{kind: vString, raw: p.stringLit()}
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == '[':
		p.advance(1)
		v := gqlValue{kind: vList}
		for !p.peek(']') {
			v.list = append(v.list, p.value(constant))
		}
		p.expect(']')
		return v
	case c == '{':
		p.advance(1)
		v := gqlValue{kind: vObject, obj: map[string]gqlValue{}}
		for !p.peek('}') {
			k := p.name()
			p.expect(':')
			v.obj[k] = p.value(constant)
		}
		p.expect('}')
		return v
	case isNameStart(c):
		switch n := p.name(); n {
		case "true", "false":
			return gqlValue{kind: vBool, raw: n}
		case "null":
			return gqlValue{kind: vNull}
		default:
			return gqlValue{kind: vEnum, raw: n}
		}
	}
	p.fail("unexpected %q", string(p.src[p.pos]))
	return gqlValue{}
}
