package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-json-experiment/json/jsontext"
)

// List is a validated {"reports": [...]} body: its items as models, and each item's JSON exactly
// as the body has it, in the same order.
type List[T any] struct {
	Items []T
	Raw   []json.RawMessage
}

// listKey is the member that holds a list body's items.
const listKey = "reports"

// NewListDecoder is NewDecoder for a response whose body is a list of items under "reports".
func NewListDecoder[T any](method, path string, status int) (*Decoder[List[T]], error) {
	schema, err := responseSchema(method, path, status)
	if err != nil {
		return nil, err
	}
	return listDecoder[T](schema), nil
}

// listDecoder is the Decoder of a list body valid against schema.
func listDecoder[T any](schema *openapi3.Schema) *Decoder[List[T]] {
	convert := converterFor(reflect.TypeFor[[]T](), map[reflect.Type]*converter{})
	keepsDoc := holdsInterface(reflect.TypeFor[T](), map[reflect.Type]bool{})
	return schemaDecoder(schema, keepsDoc, func(doc any, body []byte) (*List[T], error) {
		l := new(List[T])
		if err := convert(reflect.ValueOf(&l.Items).Elem(), doc.(map[string]any)[listKey]); err != nil {
			return nil, err
		}
		raw, err := rawItems(body)
		if err != nil {
			return nil, err
		}
		if len(raw) != len(l.Items) {
			return nil, fmt.Errorf("%d items, %d raw", len(l.Items), len(raw))
		}
		l.Raw = raw
		return l, nil
	})
}

// rawItems returns a copy of each item of the array under listKey in body, a validated object.
func rawItems(body []byte) ([]json.RawMessage, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return nil, errors.New("not an object")
	}
	for dec.PeekKind() == '"' {
		name, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		if name.String() != listKey {
			if err := dec.SkipValue(); err != nil {
				return nil, err
			}
			continue
		}
		if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '[' {
			return nil, errors.New(listKey + " is not an array")
		}
		var items []json.RawMessage
		for dec.PeekKind() != ']' {
			v, err := dec.ReadValue()
			if err != nil {
				return nil, err
			}
			items = append(items, bytes.Clone(v)) // v is valid only until the next read
		}
		return items, nil
	}
	return nil, errors.New("no " + listKey)
}
