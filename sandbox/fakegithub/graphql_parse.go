package fakegithub

import (
	"fmt"
	"strconv"
	"strings"
)

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

// skip passes whitespace, commas and comments.
func (p *gqlParser) skip() {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '\n':
			p.pos, p.line, p.col = p.pos+1, p.line+1, 1
		case c == ' ' || c == '\t' || c == '\r' || c == ',' || c == 0xEF || c == 0xBB || c == 0xBF:
			p.pos, p.col = p.pos+1, p.col+1
		case c == '#':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func (p *gqlParser) advance(n int) { p.pos += n; p.col += n }

func (p *gqlParser) peek(c byte) bool {
	p.skip()
	return p.pos < len(p.src) && p.src[p.pos] == c
}

func (p *gqlParser) expect(c byte) {
	if !p.peek(c) {
		p.fail("expected %q", string(c))
	}
	p.advance(1)
}

func isNameStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isNameChar(c byte) bool  { return isNameStart(c) || (c >= '0' && c <= '9') }

func (p *gqlParser) peekName() bool {
	p.skip()
	return p.pos < len(p.src) && isNameStart(p.src[p.pos])
}

func (p *gqlParser) name() string {
	if !p.peekName() {
		p.fail("expected a name")
	}
	start := p.pos
	for p.pos < len(p.src) && isNameChar(p.src[p.pos]) {
		p.pos++
	}
	p.col += p.pos - start
	return p.src[start:p.pos]
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

func (p *gqlParser) number() gqlValue {
	start := p.pos
	kind := vInt
	for p.pos < len(p.src) && strings.IndexByte("-+0123456789.eE", p.src[p.pos]) >= 0 {
		if strings.IndexByte(".eE", p.src[p.pos]) >= 0 {
			kind = vFloat
		}
		p.pos++
	}
	p.col += p.pos - start
	return gqlValue{kind: kind, raw: p.src[start:p.pos]}
}

func (p *gqlParser) stringLit() string {
	if strings.HasPrefix(p.src[p.pos:], `"""`) {
		p.fail("block strings are not supported")
	}
	start := p.pos
	p.pos++
	for p.pos < len(p.src) && p.src[p.pos] != '"' {
		if p.src[p.pos] == '\\' {
			p.pos++
		}
		if p.pos < len(p.src) && p.src[p.pos] == '\n' {
			p.fail("unterminated string")
		}
		p.pos++
	}
	if p.pos >= len(p.src) {
		p.fail("unterminated string")
	}
	p.pos++
	lit := p.src[start:p.pos]
	p.col += len(lit)
	s, err := strconv.Unquote(strings.ReplaceAll(lit, `\/`, `/`))
	if err != nil {
		p.fail("bad string %s", lit)
	}
	return s
}
