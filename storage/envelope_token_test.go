package storage

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

func TestTheTokenIsCutOutWhereverItStandsAtTheTopLevel(t *testing.T) {
	for in, want := range map[string]string{
		`{"token":"T","a":1}`:                           `{"a":1}`,
		`{"a":1,"token":"T"}`:                           `{"a":1}`,
		`{"a":1, "token" : "T" ,"b":[1,{"token":"x"}]}`: `{"a":1, "b":[1,{"token":"x"}]}`,
		`{ "token":"T" }`:                               `{  }`,
		`{"a":"say \"token\"","token":"T\"\\"}`:         `{"a":"say \"token\""}`,
		`{"a":{"token":"x"},"b":"}"}`:                   `{"a":{"token":"x"},"b":"}"}`,
		`["token"]`:                                     `["token"]`,
		`{"token":`:                                     `{"token":`,
		`{"a":tru,"token":"T"}`:                         `{"a":tru}`,
		`{"\u0074oken":"T","b":2}`:                      `{"b":2}`,
	} {
		if got := string(withoutToken([]byte(in))); got != want {
			t.Errorf("withoutToken(%s) = %s; want %s", in, got, want)
		}
	}
}

// FuzzWithoutToken checks the byte surgery against decoding: for any JSON
// object, the result decodes to the same object without "token"; anything
// else is returned unchanged.
func FuzzWithoutToken(f *testing.F) {
	for _, s := range []string{`{"token":"T","a":1}`, `{"a":[1,2,{"token":3}],"token":null}`, `{"token":{"x":"}"},"b":"\u0022"}`,
		`{"a":1}`, `{"token":"a","token":"b"}`, ` {"x":"\\","token":1e5} `, `[]`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		in := append([]byte(nil), p...)
		got := withoutToken(p)
		if !bytes.Equal(p, in) {
			t.Fatalf("the input was modified")
		}
		trimmed := bytes.TrimSpace(p)
		if !json.Valid(p) || len(trimmed) == 0 || trimmed[0] != '{' {
			if len(trimmed) > 0 && trimmed[0] != '{' && !bytes.Equal(got, p) {
				t.Fatalf("withoutToken(%s) = %s; a payload that is not an object must come back unchanged", p, got)
			}
			return // not one JSON object: no promise but no panic
		}
		if topLevelTokens(p) > 1 {
			return // a duplicate key: the first is cut, a decoder keeps the last
		}
		var m map[string]any
		json.Unmarshal(p, &m)
		var after map[string]any
		if err := json.Unmarshal(got, &after); err != nil {
			t.Fatalf("withoutToken(%s) = %s, not JSON: %v", p, got, err)
		}
		delete(m, "token")
		if !reflect.DeepEqual(m, after) {
			t.Fatalf("withoutToken(%s) = %s; want the object without token: %v", p, got, m)
		}
	})
}

// topLevelTokens counts the top-level keys of a valid object that decode
// to "token", however they are spelled.
func topLevelTokens(p []byte) int {
	dec := json.NewDecoder(bytes.NewReader(p))
	dec.Token()
	n := 0
	for dec.More() {
		k, _ := dec.Token()
		if k == "token" {
			n++
		}
		var v json.RawMessage
		dec.Decode(&v)
	}
	return n
}
