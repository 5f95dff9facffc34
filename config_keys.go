package main

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// unknownKeys walks the YAML document against the Go type it will be decoded
// into and returns one message per key the type does not have, with its
// line and the keys that would have been right. yaml.v3's own KnownFields
// stops at the first mistake and names Go types; a user needs all of them,
// in the file's words.
func unknownKeys(n *yaml.Node, t reflect.Type, path string) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.DocumentNode {
		var out []string
		for _, c := range n.Content {
			out = append(out, unknownKeys(c, t, path)...)
		}
		return out
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return unknownKeys(n.Alias, t, path)
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil // a type error the decoder reports
		}
		fields := yamlFields(t)
		var out []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if k.Value == "<<" {
				continue
			}
			if !ok {
				out = append(out, fmt.Sprintf("line %d: unknown key %q%s (known keys: %s)", k.Line, k.Value, in(path), strings.Join(sortedKeys(fields), ", ")))
				continue
			}
			out = append(out, unknownKeys(v, ft, join(path, k.Value))...)
		}
		return out
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return nil
		}
		var out []string
		for i, c := range n.Content {
			out = append(out, unknownKeys(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var out []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			out = append(out, unknownKeys(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value))...)
		}
		return out
	}
	return nil
}

// yamlFields maps each YAML key of struct t to its field type, following
// ",inline" fields the way yaml.v3 does.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func sortedKeys(m map[string]reflect.Type) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func in(path string) string {
	if path == "" {
		return ""
	}
	return " in " + path
}
