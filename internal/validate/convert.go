package validate

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
)

// The generic document that VisitJSON has validated is turned into the generated model by a
// converter, so that the body is parsed once, not once for validation and again for the struct.
// Converters follow the json tags of the generated types with exact names, as the validator
// does, and are built once per type. A model holds no part of the document (no interface
// fields: a converter refuses them), so that the parser may reuse the document's objects.

// converter stores a generic JSON value (as a JSON parser decodes into any) in dst. Numbers
// arrive as float64, as kin-openapi validates them: integers beyond 2^53 lose precision, which
// no field of this API comes near (pages, durationInSecs).
type converter func(dst reflect.Value, v any) error

var timeType = reflect.TypeFor[time.Time]()

// converterFor builds the converter of type t; seen breaks cycles of recursive types.
func converterFor(t reflect.Type, seen map[reflect.Type]*converter) converter {
	if c, ok := seen[t]; ok {
		return func(dst reflect.Value, v any) error { return (*c)(dst, v) }
	}
	c := new(converter)
	seen[t] = c
	*c = nullable(build(t, seen))
	return *c
}

// nullable stores JSON null as the zero value: a nil pointer or slice, or a zero the schema
// allowed.
func nullable(c converter) converter {
	return func(dst reflect.Value, v any) error {
		if v == nil {
			dst.SetZero()
			return nil
		}
		return c(dst, v)
	}
}

func build(t reflect.Type, seen map[reflect.Type]*converter) converter {
	switch t.Kind() {
	case reflect.Pointer:
		elem := converterFor(t.Elem(), seen)
		return func(dst reflect.Value, v any) error {
			p := reflect.New(t.Elem())
			if err := elem(p.Elem(), v); err != nil {
				return err
			}
			dst.Set(p)
			return nil
		}
	case reflect.String:
		return func(dst reflect.Value, v any) error {
			s, ok := v.(string)
			if !ok {
				return mismatch(v, t)
			}
			dst.SetString(s)
			return nil
		}
	case reflect.Bool:
		return func(dst reflect.Value, v any) error {
			b, ok := v.(bool)
			if !ok {
				return mismatch(v, t)
			}
			dst.SetBool(b)
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(dst reflect.Value, v any) error {
			f, ok := v.(float64)
			if !ok {
				return mismatch(v, t)
			}
			if f != math.Trunc(f) || math.Abs(f) >= 1<<63 || dst.OverflowInt(int64(f)) {
				return fmt.Errorf("%v does not fit a Go %s", f, t)
			}
			dst.SetInt(int64(f))
			return nil
		}
	case reflect.Float32, reflect.Float64:
		return func(dst reflect.Value, v any) error {
			f, ok := v.(float64)
			if !ok {
				return mismatch(v, t)
			}
			dst.SetFloat(f)
			return nil
		}
	case reflect.Slice:
		elem := converterFor(t.Elem(), seen)
		empty := reflect.MakeSlice(t, 0, 0) // [] is an empty slice, not nil, as for json.Unmarshal
		return func(dst reflect.Value, v any) error {
			items, ok := v.([]any)
			if !ok {
				return mismatch(v, t)
			}
			if len(items) == 0 {
				dst.Set(empty)
				return nil
			}
			// Growing dst itself from nil allocates the items' own array and nothing else;
			// reflect.MakeSlice would also allocate the slice header it returns.
			dst.SetZero()
			dst.Grow(len(items))
			dst.SetLen(len(items))
			for i, item := range items {
				if err := elem(dst.Index(i), item); err != nil {
					return fmt.Errorf("%d: %w", i, err)
				}
			}
			return nil
		}
	case reflect.Struct:
		if t == timeType {
			return convertTime
		}
		return structConverter(t, seen)
	}
	return func(dst reflect.Value, v any) error { return mismatch(v, t) }
}

// structConverter sets each field whose JSON name the object has. JSON null leaves a pointer
// nil.
func structConverter(t reflect.Type, seen map[reflect.Type]*converter) converter {
	type field struct {
		name    string
		index   int
		convert converter
	}
	var fields []field
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		fields = append(fields, field{name: name, index: i, convert: converterFor(sf.Type, seen)})
	}
	return func(dst reflect.Value, v any) error {
		m, ok := v.(map[string]any)
		if !ok {
			return mismatch(v, t)
		}
		for _, f := range fields {
			mv, present := m[f.name]
			if !present {
				continue
			}
			if err := f.convert(dst.Field(f.index), mv); err != nil {
				return fmt.Errorf("%s: %w", f.name, err)
			}
		}
		return nil
	}
}

func convertTime(dst reflect.Value, v any) error {
	s, ok := v.(string)
	if !ok {
		return mismatch(v, timeType)
	}
	t, err := ParseDateTime(s)
	if err != nil {
		return err
	}
	if dst.CanAddr() {
		*dst.Addr().Interface().(*time.Time) = t // without boxing t
		return nil
	}
	dst.Set(reflect.ValueOf(t))
	return nil
}

func mismatch(v any, t reflect.Type) error {
	return fmt.Errorf("cannot store a JSON %T in a Go %s", v, t)
}
