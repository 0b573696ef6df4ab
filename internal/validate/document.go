package validate

import (
	"bytes"
	"errors"
	"hash/maphash"
	"io"
	"strconv"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-json-experiment/json/jsontext"
)

// The generic document that kin-openapi validates is parsed here, with jsontext as
// json.Unmarshal into an any would (same syntax checks: valid UTF-8, no duplicate names, one
// value), but into objects and arrays that a document parser keeps for the next document once
// the value has been built from it (release). Most of what parsing a report allocated was these
// maps. Strings are new strings, never views of the body or of a reused buffer, so that the value
// built from a document shares nothing with what is reused.

// maxPooledObjects bounds the objects and arrays that a parser keeps for the next document: a
// parser that has just parsed a document with more is dropped instead of kept.
const maxPooledObjects = 4096

// maxPooledLen bounds the elements of an array, and the bytes of the unquoting scratch, that a
// parser keeps: a longer one is dropped, so that one large document does not stay in the pool.
const maxPooledLen = 4096

// docParser parses documents, reusing the objects and arrays of the last one it released.
type docParser struct {
	dec     *jsontext.Decoder
	names   map[string]string // the spec's property names: object names are not allocated anew
	text    []byte            // unquoting scratch
	in      bytes.Buffer      // the body being parsed
	recent  [256]any          // strings recently parsed, boxed (see makeString)
	evict   uint8             // which of its two slots a string takes when both are full
	objects []map[string]any
	nobj    int
	arrays  [][]any
	narr    int
}

// docParsers is a pool of parsers sharing one table of names.
type docParsers struct {
	names map[string]string
	pool  sync.Pool
}

func newDocParsers(names map[string]string) *docParsers {
	p := &docParsers{names: names}
	p.pool.New = func() any { return &docParser{dec: jsontext.NewDecoder(&bytes.Buffer{}), names: names} }
	return p
}

// get returns a parser; give it back with put once no value of its documents is in use.
func (p *docParsers) get() *docParser { return p.pool.Get().(*docParser) }

// put keeps the parser for the next document: it clears the objects and arrays of the
// documents it parsed.
func (p *docParsers) put(d *docParser) {
	if d.nobj > maxPooledObjects || d.narr > maxPooledObjects {
		return
	}
	for _, m := range d.objects[:min(d.nobj, len(d.objects))] {
		clear(m)
	}
	for i, a := range d.arrays[:min(d.narr, len(d.arrays))] {
		clear(a)
		d.arrays[i] = a[:0]
		if cap(a) > maxPooledLen {
			d.arrays[i] = []any{}
		}
	}
	if cap(d.text) > maxPooledLen {
		d.text = nil
	}
	d.nobj, d.narr = 0, 0
	p.pool.Put(d)
}

// schemaNames adds the property names of schema and of every schema in it to names.
func schemaNames(schema *openapi3.Schema, names map[string]string, seen map[*openapi3.Schema]bool) {
	if schema == nil || seen[schema] {
		return
	}
	seen[schema] = true
	for name, ref := range schema.Properties {
		names[name] = name
		schemaNames(ref.Value, names, seen)
	}
	if schema.Items != nil {
		schemaNames(schema.Items.Value, names, seen)
	}
	if schema.AdditionalProperties.Schema != nil {
		schemaNames(schema.AdditionalProperties.Schema.Value, names, seen)
	}
	for _, refs := range []openapi3.SchemaRefs{schema.AllOf, schema.AnyOf, schema.OneOf} {
		for _, ref := range refs {
			schemaNames(ref.Value, names, seen)
		}
	}
}

// errTrailingData says the body holds more than one JSON value.
var errTrailingData = errors.New("data after the top-level value")

// parse parses body, one JSON value and nothing else.
func (d *docParser) parse(body []byte) (any, error) {
	d.in = *bytes.NewBuffer(body)
	d.dec.Reset(&d.in)
	defer func() { // keep no reference to the body
		d.in = bytes.Buffer{}
		d.dec.Reset(&d.in)
	}()
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	if _, err := d.dec.ReadToken(); !errors.Is(err, io.EOF) {
		if err == nil {
			err = errTrailingData
		}
		return nil, err
	}
	return v, nil
}

func (d *docParser) value() (any, error) {
	switch d.dec.PeekKind() {
	case '{':
		return d.object()
	case '[':
		return d.array()
	}
	raw, err := d.dec.ReadValue()
	if err != nil {
		return nil, err
	}
	switch raw.Kind() {
	case 'n':
		return nil, nil
	case 'f':
		return false, nil
	case 't':
		return true, nil
	case '"':
		return d.makeString(d.unquote(raw)), nil // a string, boxed
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return nil, err // a number beyond float64, as json.Unmarshal refuses it
	}
	return f, nil
}

func (d *docParser) unquote(raw jsontext.Value) []byte {
	d.text, _ = jsontext.AppendUnquote(d.text[:0], raw) // raw is a valid string: the decoder checked it
	return d.text
}

// makeString returns b as a string in an any: for a short string seen recently (status
// values, names), the same any as the last time, which costs no allocation; a new one
// otherwise. json.Unmarshal's decoder keeps recent strings the same way (but boxes them anew).
// Strings are immutable: sharing one between documents shares nothing that changes.
//
// A string may sit in either of two slots chosen by its hash. A new one takes a free slot of its
// two, or when both are full, one or the other in turn: two strings of one document that hash
// to the same first slot do not replace each other on every document, as they did with one
// slot each.
func (d *docParser) makeString(b []byte) any {
	if len(b) < 2 || len(b) > 64 {
		return string(b)
	}
	h := maphash.Bytes(stringSeed, b)
	i, j := h%uint64(len(d.recent)), (h>>32)%uint64(len(d.recent))
	for _, k := range [2]uint64{i, j} {
		if s, ok := d.recent[k].(string); ok && s == string(b) {
			return d.recent[k]
		}
	}
	if d.recent[i] != nil && (d.recent[j] == nil || d.evict&1 == 1) {
		i = j
	}
	d.evict++
	var s any = string(b)
	d.recent[i] = s
	return s
}

var stringSeed = maphash.MakeSeed()

func (d *docParser) object() (map[string]any, error) {
	if _, err := d.dec.ReadToken(); err != nil {
		return nil, err
	}
	if d.nobj == len(d.objects) {
		d.objects = append(d.objects, make(map[string]any))
	}
	m := d.objects[d.nobj]
	d.nobj++
	for d.dec.PeekKind() != '}' {
		raw, err := d.dec.ReadValue() // the name; the decoder refuses a duplicate one
		if err != nil {
			return nil, err
		}
		b := d.unquote(raw)
		name, known := d.names[string(b)]
		if !known {
			name = d.makeString(b).(string)
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		m[name] = v
	}
	if _, err := d.dec.ReadToken(); err != nil {
		return nil, err
	}
	return m, nil
}

func (d *docParser) array() ([]any, error) {
	if _, err := d.dec.ReadToken(); err != nil {
		return nil, err
	}
	if d.narr == len(d.arrays) {
		d.arrays = append(d.arrays, []any{})
	}
	i := d.narr
	d.narr++
	a := d.arrays[i][:0]
	for d.dec.PeekKind() != ']' {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
	d.arrays[i] = a
	if _, err := d.dec.ReadToken(); err != nil {
		return nil, err
	}
	return a, nil
}
