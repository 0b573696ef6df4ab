// Package validate checks responses against openapi.yaml with kin-openapi and decodes them into
// the generated models. The spec is parsed and validated once per process; each Decoder resolves
// its response schema once, so a call does no parsing, routing or compilation of its own.
package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/httpbody"
)

// ReportPath is the spec's path of the status report resource.
const ReportPath = "/{custNr}/fax/reports/{jobId}"

// ReportsPath is the spec's path of the reports resource as a whole (list, bulk, delete-oldest).
const ReportsPath = "/{custNr}/fax/reports"

// Spec returns the embedded openapi.yaml, parsed and validated once.
var Spec = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := gen.GetSpec()
	if err != nil {
		return nil, fmt.Errorf("parse embedded openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("embedded openapi.yaml is not valid: %w", err)
	}
	return doc, nil
})

// Error says why a response does not match the spec. It never holds more than a short excerpt
// of the body. Field and Reason are words of ours and of the spec; what the server sent is only
// in Job, Detail and Excerpt, the parts a caller scrubs of credentials.
type Error struct {
	Field   string // JSON pointer of the offending value (the spec's names, indexes), "" for the document
	Job     string // the jobId of the report the offending value is in, "" when unknown; whole
	Reason  string // what is wrong, quoting nothing the server sent
	Detail  string // what Reason is about when it is the server's (a content type), or a parser's message that may quote the body; "" when none
	Excerpt string // a short, quoted excerpt of the body
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Field != "" {
		b.WriteString("field " + e.Field)
		if e.Job != "" {
			fmt.Fprintf(&b, " (job %q)", httpbody.Truncate(e.Job, maxJob))
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.Excerpt != "" {
		b.WriteString(" (body " + e.Excerpt + ")")
	}
	return b.String()
}

// Decoder validates and decodes the body of one documented response into T.
//
// The body is parsed once, into the generic document that kin-openapi validates; the value
// returned is built from that same document (see converterFor), so what is returned is exactly
// what was validated. The parser is go-json-experiment/json's jsontext (encoding/json/v2): it
// rejects duplicate object names and invalid UTF-8, and it is faster than encoding/json; the
// document's objects are reused for the next body (see docParser).
type Decoder[T any] struct {
	schema  *openapi3.Schema
	build   func(doc any, body []byte) (*T, error)
	parsers *docParsers
	// salvage, when set, is given a body that failed to parse or validate (and the failure, and
	// the parser, to parse its parts), and returns what of it is valid, or the failure (a list
	// keeps its valid items).
	salvage func(parser *docParser, body []byte, failure *Error) (*T, error)
}

// visitOptions validate as a response, and check the spec's DateTimeFormat with ParseDateTime,
// the parser the model's time.Time is built with (convertTime): what validates is what is read.
var visitOptions = []openapi3.SchemaValidationOption{
	openapi3.VisitAsResponse(),
	openapi3.DisableSchemaErrorDetails(),
	// A map built once: WithStringFormatValidator would make one per call.
	openapi3.WithStringFormatValidators(map[string]openapi3.StringFormatValidator{
		DateTimeFormat: openapi3.NewCallbackValidator(func(s string) error {
			_, err := ParseDateTime(s)
			return err
		}),
	}),
}

// NewDecoder is the Decoder of the spec's component schema name (such as "StatusReport") into
// the model T.
func NewDecoder[T any](name string) (*Decoder[T], error) {
	schema, err := componentSchema(name)
	if err != nil {
		return nil, err
	}
	return schemaDecoder(schema, modelOf[T]()), nil
}

// modelOf returns what builds the model T from a validated document, its converter built once.
func modelOf[T any]() func(doc any, _ []byte) (*T, error) {
	convert := converterFor(reflect.TypeFor[T](), map[reflect.Type]*converter{})
	return func(doc any, _ []byte) (*T, error) {
		v := new(T)
		if err := convert(reflect.ValueOf(v).Elem(), doc); err != nil {
			return nil, err
		}
		return v, nil
	}
}

// WithJSON is a validated body as a model and as sent, byte for byte (without a leading
// byte-order mark, see Decode): one read gives both.
type WithJSON[T any] struct {
	Value *T
	JSON  json.RawMessage // the body given to Decode: it shares its array
}

// NewWithJSONDecoder is NewDecoder for callers that also want the body as sent.
func NewWithJSONDecoder[T any](name string) (*Decoder[WithJSON[T]], error) {
	schema, err := componentSchema(name)
	if err != nil {
		return nil, err
	}
	model := modelOf[T]()
	return schemaDecoder(schema, func(doc any, body []byte) (*WithJSON[T], error) {
		v, err := model(doc, body)
		if err != nil {
			return nil, err
		}
		return &WithJSON[T]{Value: v, JSON: body}, nil
	}), nil
}

// componentSchema resolves a named schema of the spec's components. Each response's schema is
// one of them, by reference.
func componentSchema(name string) (*openapi3.Schema, error) {
	doc, err := Spec()
	if err != nil {
		return nil, err
	}
	ref := doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("openapi.yaml has no schema %s", name)
	}
	return ref.Value, nil
}

// utf8BOM is the UTF-8 byte-order mark, U+FEFF.
var utf8BOM = []byte("\ufeff")

// jsonMediaType is the media type of every documented body.
const jsonMediaType = "application/json"

// schemaDecoder is the Decoder of JSON bodies valid against schema, built by build, whose
// values hold no part of the parsed document (it is reused).
func schemaDecoder[T any](schema *openapi3.Schema, build func(any, []byte) (*T, error)) *Decoder[T] {
	names := map[string]string{}
	schemaNames(schema, names, map[*openapi3.Schema]bool{})
	return &Decoder[T]{schema: schema, build: build, parsers: newDocParsers(names)}
}

// Decode checks the content type and the body against the schema, then decodes the body.
// A body that fails any check is never decoded into a partly zero-valued T. A leading UTF-8
// byte-order mark is not part of the body's JSON (RFC 8259 §8.1 lets a parser ignore it): it is
// dropped first, so a WithJSON's JSON and a List's Raw hold the JSON without it.
func (d *Decoder[T]) Decode(contentType string, body []byte) (*T, error) {
	body = bytes.TrimPrefix(body, utf8BOM)
	if !hasMediaType(contentType, jsonMediaType) {
		return nil, &Error{Reason: "content type is not " + jsonMediaType, Detail: httpbody.Excerpt([]byte(contentType)), Excerpt: httpbody.Excerpt(body)}
	}
	parser := d.parsers.get()
	defer d.parsers.put(parser) // once nothing reads the document any more
	doc, err := parser.parse(body)
	if err != nil {
		return d.invalid(parser, body, &Error{Reason: notJSON, Detail: bounded(err.Error()), Excerpt: httpbody.Excerpt(body)})
	}
	if err := d.schema.VisitJSON(doc, visitOptions...); err != nil {
		return d.invalid(parser, body, schemaError(err, body, doc))
	}
	v, err := d.build(doc, body)
	if err != nil {
		return nil, &Error{Reason: unfit, Detail: bounded(err.Error()), Excerpt: httpbody.Excerpt(body)}
	}
	return v, nil
}

// invalid returns the failure of a body that failed to parse or validate, or what salvage makes
// of it.
func (d *Decoder[T]) invalid(parser *docParser, body []byte, failure *Error) (*T, error) {
	if d.salvage == nil {
		return nil, failure
	}
	return d.salvage(parser, body, failure)
}

// hasMediaType reports whether contentType is mediaType, with or without parameters.
func hasMediaType(contentType, mediaType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == mediaType
}

// notJSON is the Reason of a body, or of a list's item, that is not JSON (strict JSON: no
// duplicate names, valid UTF-8, numbers within float64).
const notJSON = "not JSON"

// unfit is the Reason of a valid document that the model cannot hold (its Detail says why).
const unfit = "does not fit the model"

// maxReason bounds a reason or a detail, which may quote parts of the body (a JSON syntax error
// does).
const maxReason = 200

func bounded(reason string) string { return httpbody.Truncate(reason, maxReason) }

func schemaError(err error, body []byte, doc any) *Error {
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return &Error{Reason: "fails the schema", Detail: bounded(err.Error()), Excerpt: httpbody.Excerpt(body)}
	}
	field := bounded("/" + strings.Join(se.JSONPointer(), "/"))
	reason := se.Reason
	if reason == "" {
		reason = "fails " + se.SchemaField
	}
	return &Error{Field: field, Job: jobOn(doc, se.JSONPointer()), Reason: bounded(reason), Excerpt: httpbody.Excerpt(body)}
}

// jobOn returns the jobId of the innermost object below the document's root, on the path to the
// value at pointer, that has a string one ("" when none has): the job a report in a list was
// about, for an error that would otherwise name it only by its index. It is not cut, so that a
// caller that scrubs what an error quotes sees all of it; Error quotes at most maxJob bytes.
func jobOn(doc any, pointer []string) string {
	job := ""
	node := doc
	for depth := 0; ; depth++ {
		if m, ok := node.(map[string]any); ok && depth > 0 {
			if id, ok := m["jobId"].(string); ok {
				job = id
			}
		}
		if depth == len(pointer) {
			return job
		}
		switch n := node.(type) {
		case map[string]any:
			node = n[pointer[depth]]
		case []any:
			i, err := strconv.Atoi(pointer[depth])
			if err != nil || i < 0 || i >= len(n) {
				return job
			}
			node = n[i]
		default:
			return job
		}
	}
}

// maxJob bounds the job ID an Error names.
const maxJob = 64
