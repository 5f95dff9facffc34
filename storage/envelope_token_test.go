package storage

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
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
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(p))
		if dec.Decode(&m) != nil || dec.More() || bytes.Count(p, []byte(`"token"`)) != strings.Count(string(p), `"token"`) {
			return // not one JSON object: no promise but no panic
		}
		if _, dup := m["token"]; dup && bytes.Count(p, []byte(`"token":`))+bytes.Count(p, []byte(`"token" `)) > 1 {
			return // a duplicate key: the first is cut, the decoder keeps the last
		}
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
