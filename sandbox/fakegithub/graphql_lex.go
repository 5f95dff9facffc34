package fakegithub

import (
	"strconv"
	"strings"
)

// The lexical layer of the GraphQL parser: whitespace and comments,
// punctuation, names, numbers and string literals.

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

func isNameChar(c byte) bool { return isNameStart(c) || (c >= '0' && c <= '9') }

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
