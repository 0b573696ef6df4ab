package validate

import (
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// NewSchemaDecoder is NewDecoder for a named schema of the spec's components, for an answer
// whose operation documents several shapes (bulkStatusReports answers a StatusReportList or a
// DeleteResultList, as its request's action says).
func NewSchemaDecoder[T any](name string) (*Decoder[T], error) {
	schema, err := componentSchema(name)
	if err != nil {
		return nil, err
	}
	return modelDecoder[T](schema), nil
}

// NewSchemaListDecoder is NewListDecoder for a named schema of the spec's components (the
// StatusReportList of a bulk GET's answer). withRaw says whether each List holds its items'
// JSON as sent (Raw): finding it takes a second pass over the body.
func NewSchemaListDecoder[T any](name string, withRaw bool) (*Decoder[List[T]], error) {
	schema, err := componentSchema(name)
	if err != nil {
		return nil, err
	}
	return listDecoder[T](schema, withRaw), nil
}

// componentSchema resolves a named schema of the spec's components.
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
