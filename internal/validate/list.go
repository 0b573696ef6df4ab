package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/faxreport/faxreport/internal/httpbody"
)

// List is a validated {"reports": [...]} body: its items as models, and (unless the decoder
// was made without) each item's JSON exactly as the body has it, in the same order. A body
// whose only faults are items that break the item schema is a List too: those items are left
// out of Items and Raw and listed in Invalid.
type List[T any] struct {
	Items   []T
	Raw     []json.RawMessage
	Invalid []*Error // one per item left out; its Field says where, its Job which job
	// InvalidRaw holds the JSON of each item of Invalid, in the same order; Invalid's
	// excerpts quote it, not the body's start.
	InvalidRaw []json.RawMessage
}

// listKey is the member that holds a list body's items.
const listKey = "reports"

// NewListDecoder is NewDecoder for a response whose body is a list of items under "reports".
func NewListDecoder[T any](method, path string, status int) (*Decoder[List[T]], error) {
	schema, err := responseSchema(method, path, status)
	if err != nil {
		return nil, err
	}
	return listDecoder[T](schema, true), nil
}

// listDecoder is the Decoder of a list body valid against schema. withRaw says whether the
// List holds each item's JSON (Raw), which takes a second pass over the body; the JSON of the
// items left out (InvalidRaw) is always there.
func listDecoder[T any](schema *openapi3.Schema, withRaw bool) *Decoder[List[T]] {
	convert := converterFor(reflect.TypeFor[[]T](), map[reflect.Type]*converter{})
	keepsDoc := holdsInterface(reflect.TypeFor[T](), map[reflect.Type]bool{})
	build := func(items []any, keep []bool, body []byte) (*List[T], error) {
		var raw []json.RawMessage
		if withRaw || keep != nil {
			var err error
			if raw, err = rawItems(body); err != nil {
				return nil, err
			}
			if len(raw) != len(items) {
				return nil, fmt.Errorf("%d items, %d raw", len(items), len(raw))
			}
		}
		l := new(List[T])
		if keep != nil {
			var valid []any
			var validRaw []json.RawMessage
			for i, ok := range keep {
				if ok {
					valid, validRaw = append(valid, items[i]), append(validRaw, raw[i])
				} else {
					l.InvalidRaw = append(l.InvalidRaw, raw[i])
				}
			}
			items, raw = valid, validRaw
		}
		if err := convert(reflect.ValueOf(&l.Items).Elem(), items); err != nil {
			return nil, err
		}
		if withRaw {
			l.Raw = raw
		}
		return l, nil
	}
	d := schemaDecoder(schema, keepsDoc, func(doc any, body []byte) (*List[T], error) {
		obj, _ := doc.(map[string]any)
		items, _ := obj[listKey].([]any)
		return build(items, nil, body)
	})
	d.salvage = func(doc any, body []byte, failure *Error) (*List[T], error) {
		items, keep, invalid := invalidItems(schema, doc, body)
		if invalid == nil {
			return nil, failure // the fault is not (only) in the items
		}
		l, err := build(items, keep, body)
		if err != nil {
			return nil, &Error{Reason: unfit, Detail: bounded(err.Error()), Excerpt: failure.Excerpt}
		}
		for i, e := range invalid {
			e.Excerpt = httpbody.Excerpt(l.InvalidRaw[i])
		}
		l.Invalid = invalid
		return l, nil
	}
	return d
}

// invalidItems checks the items of a list document one by one against the item schema, when the
// document is otherwise valid: an object whose list is within its bounds. It returns the items,
// which of them are valid, and an Error for each invalid one; nil errors when the list itself
// is at fault or no item is.
func invalidItems(schema *openapi3.Schema, doc any, body []byte) (items []any, keep []bool, invalid []*Error) {
	obj, _ := doc.(map[string]any)
	items, isList := obj[listKey].([]any)
	list := schema.Properties[listKey]
	if !isList || list == nil || list.Value == nil || list.Value.Items == nil || list.Value.Items.Value == nil ||
		list.Value.MaxItems != nil && uint64(len(items)) > *list.Value.MaxItems {
		return nil, nil, nil
	}
	envelope := make(map[string]any, len(obj))
	for k, v := range obj {
		envelope[k] = v
	}
	envelope[listKey] = []any{}
	if schema.VisitJSON(envelope, visitOptions...) != nil {
		return nil, nil, nil
	}
	keep = make([]bool, len(items))
	for i, item := range items {
		err := list.Value.Items.Value.VisitJSON(item, visitOptions...)
		if keep[i] = err == nil; !keep[i] {
			e := schemaError(err, body, item)
			e.Field = bounded(fmt.Sprintf("/%s/%d%s", listKey, i, e.Field))
			if m, ok := item.(map[string]any); ok {
				if id, ok := m["jobId"].(string); ok {
					e.Job = id // whole: a caller that scrubs it must see all of it
				}
			}
			invalid = append(invalid, e)
		}
	}
	return items, keep, invalid
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
