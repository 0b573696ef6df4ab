package validate

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/faxreport/faxreport/internal/httpbody"
)

// List is a validated {"reports": [...]} body: its items as models, and each item's JSON
// exactly as the body has it, in the same order. A body whose only faults are items that break
// the item schema is a List too: those items are left out of Items and Raw and listed in
// Invalid.
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

// NewListDecoder is NewDecoder for a list body, the component schema name (such as
// "StatusReportList"), whose items are under "reports".
func NewListDecoder[T any](name string) (*Decoder[List[T]], error) {
	schema, err := componentSchema(name)
	if err != nil {
		return nil, err
	}
	convert := converterFor(reflect.TypeFor[[]T](), map[reflect.Type]*converter{})
	d := schemaDecoder(schema, func(doc any, body []byte) (*List[T], error) {
		obj, _ := doc.(map[string]any)
		items, _ := obj[listKey].([]any)
		l := new(List[T])
		var err error
		if _, l.Raw, err = splitList(body); err != nil {
			return nil, err
		}
		if len(l.Raw) != len(items) {
			return nil, fmt.Errorf("%d items, %d raw", len(items), len(l.Raw))
		}
		if err := convert(reflect.ValueOf(&l.Items).Elem(), items); err != nil {
			return nil, err
		}
		return l, nil
	})
	d.salvage = func(parser *docParser, body []byte, failure *Error) (*List[T], error) {
		items, ok := checkItems(schema, parser, body)
		if !ok {
			return nil, failure // the fault is not (only) in the items
		}
		l := new(List[T])
		var valid []any
		for _, item := range items {
			if item.err != nil {
				l.Invalid, l.InvalidRaw = append(l.Invalid, item.err), append(l.InvalidRaw, item.raw)
				continue
			}
			valid = append(valid, item.doc)
			l.Raw = append(l.Raw, item.raw)
		}
		if len(l.Invalid) == 0 {
			return nil, failure
		}
		if err := convert(reflect.ValueOf(&l.Items).Elem(), valid); err != nil {
			return nil, &Error{Reason: unfit, Detail: bounded(err.Error()), Excerpt: failure.Excerpt}
		}
		return l, nil
	}
	return d, nil
}

// listItem is one item of a list body, checked on its own.
type listItem struct {
	raw json.RawMessage // as the body has it
	doc any             // its document, when it parsed
	err *Error          // why it is invalid; nil for a valid item
}

// checkItems parses and validates the items of a list body one by one, when the rest of the body
// is valid: an object, valid without its items, whose list is within its bounds. An item that is
// not strict JSON on its own (a duplicate name, invalid UTF-8, a number beyond float64) or breaks
// the item schema is invalid, with its error; the others are not held back by it. ok is false
// when the list itself is at fault.
func checkItems(schema *openapi3.Schema, parser *docParser, body []byte) (items []listItem, ok bool) {
	list := schema.Properties[listKey]
	if list == nil || list.Value == nil || list.Value.Items == nil || list.Value.Items.Value == nil {
		return nil, false
	}
	envelope, raw, err := splitList(body)
	if err != nil || list.Value.MaxItems != nil && uint64(len(raw)) > *list.Value.MaxItems {
		return nil, false
	}
	doc, err := parser.parse(envelope)
	if err != nil || schema.VisitJSON(doc, visitOptions...) != nil {
		return nil, false
	}
	items = make([]listItem, len(raw))
	for i, r := range raw {
		items[i] = listItem{raw: r}
		doc, err := parser.parse(r)
		switch {
		case err != nil:
			items[i].err = &Error{Reason: notJSON, Detail: bounded(err.Error())}
		default:
			items[i].doc = doc
			if err := list.Value.Items.Value.VisitJSON(doc, visitOptions...); err != nil {
				items[i].err = schemaError(err, r, doc)
			}
		}
		if e := items[i].err; e != nil {
			e.Field = bounded(fmt.Sprintf("/%s/%d%s", listKey, i, e.Field))
			e.Job = jobIDOf(r) // whole: a caller that scrubs it must see all of it
			e.Excerpt = httpbody.Excerpt(r)
		}
	}
	return items, true
}
