package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"

	"github.com/go-json-experiment/json/jsontext"
)

// tolerant are the options of a decoder that splits a list body into its items: it lets
// duplicate names and invalid UTF-8 through, so that one item that has them does not stop the
// split. Each item is then parsed strictly on its own (see checkItems), and refused alone.
var tolerant = []jsontext.Options{jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true)}

// splitList splits body, a {"reports": [...]} object, at the token level: it returns each item
// of the first array under listKey as the body has it (a copy), and the envelope, the body
// without those items ({..., "reports": []}). It fails when body is not one object with such an
// array at the token level; duplicate names and invalid UTF-8 are for the caller to refuse.
func splitList(body []byte) (envelope []byte, items []json.RawMessage, err error) {
	dec := jsontext.NewDecoder(bytes.NewReader(body), tolerant...)
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return nil, nil, errors.New("not an object")
	}
	start, end := -1, -1 // the offsets of the items in body
	for dec.PeekKind() == '"' {
		name, err := dec.ReadToken()
		if err != nil {
			return nil, nil, err
		}
		if name.String() != listKey || start >= 0 {
			if err := dec.SkipValue(); err != nil {
				return nil, nil, err
			}
			continue
		}
		if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '[' {
			return nil, nil, errors.New(listKey + " is not an array")
		}
		start = int(dec.InputOffset())
		end = start
		for dec.PeekKind() != ']' {
			v, err := dec.ReadValue()
			if err != nil {
				return nil, nil, err
			}
			items = append(items, bytes.Clone(v)) // v is valid only until the next read
			end = int(dec.InputOffset())
		}
		if _, err := dec.ReadToken(); err != nil {
			return nil, nil, err
		}
	}
	if _, err := dec.ReadToken(); err != nil { // the object's end
		return nil, nil, err
	}
	if start < 0 {
		return nil, nil, errors.New("no " + listKey)
	}
	return slices.Concat(body[:start], body[end:]), items, nil
}

// jobIDOf returns the jobId of item, read tolerantly: the value of its jobId members when they
// are all the same string, with valid UTF-8; "" otherwise, for an item that names no job it can
// be deleted by. It is whole, so that a caller that scrubs it sees all of it.
func jobIDOf(item []byte) string {
	dec := jsontext.NewDecoder(bytes.NewReader(item), tolerant...)
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return ""
	}
	var id []byte
	for dec.PeekKind() == '"' {
		name, err := dec.ReadToken()
		if err != nil {
			return ""
		}
		isJobID := name.String() == "jobId" // name is valid only until the next read
		value, err := dec.ReadValue()
		if err != nil {
			return ""
		}
		if !isJobID {
			continue
		}
		s, err := jsontext.AppendUnquote(nil, value)
		if err != nil || id != nil && !bytes.Equal(id, s) {
			return "" // not a string, invalid UTF-8, or two different jobs
		}
		id = s
	}
	return string(id)
}
