package faxreport

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"slices"
	"strings"

	"github.com/go-json-experiment/json"
	"golang.org/x/text/encoding/ianaindex"

	"github.com/faxreport/faxreport/internal/httpbody"
)

// The formats of a push body.
const (
	formatUnknown = iota
	formatXML
	formatJSON
)

// pushFormat tells a push body's format by its content type, or, when that names neither XML
// nor JSON (custom templates may be sent as anything), by its first character.
func pushFormat(contentType string, body []byte) int {
	if mediaType, _, err := mime.ParseMediaType(contentType); err == nil {
		switch {
		case mediaType == "text/xml", mediaType == "application/xml", strings.HasSuffix(mediaType, "+xml"):
			return formatXML
		case mediaType == "application/json", strings.HasSuffix(mediaType, "+json"):
			return formatJSON
		}
	}
	start := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\uFEFF")), " \t\r\n")
	switch {
	case len(start) == 0:
		return formatUnknown
	case start[0] == '<':
		return formatXML
	case start[0] == '{', start[0] == '[':
		return formatJSON
	}
	return formatUnknown
}

// xmlJobIDs returns the jobId of every faxJobReport element, in any namespace and at any depth;
// without any faxJobReport, the content of every jobId element.
func xmlJobIDs(body []byte) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = charsetReader
	var fromReports, loose []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch start.Name.Local {
		case "faxJobReport":
			var report struct {
				JobIDs []string `xml:"jobId"` // any namespace
			}
			if err := d.DecodeElement(&report, &start); err != nil {
				return nil, err
			}
			if len(report.JobIDs) != 1 {
				return nil, fmt.Errorf("a faxJobReport has %d jobId elements, not 1", len(report.JobIDs))
			}
			fromReports = append(fromReports, strings.TrimSpace(report.JobIDs[0]))
		case "jobId":
			var jobID string
			if err := d.DecodeElement(&jobID, &start); err != nil {
				return nil, err
			}
			loose = append(loose, strings.TrimSpace(jobID))
		}
	}
	if len(fromReports) > 0 {
		return fromReports, nil
	}
	return loose, nil
}

// charsetReader decodes an XML body whose prolog declares a charset other than UTF-8.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	enc, err := ianaindex.IANA.Encoding(charset)
	if err != nil {
		return nil, err
	}
	if enc == nil {
		return nil, fmt.Errorf("charset %q is not supported", charset)
	}
	return enc.NewDecoder().Reader(input), nil
}

// jsonJobIDs returns the jobId of every JSON object that has one, at any depth: arrays in
// order, an object's members by name. The members of an object with a jobId are not searched.
func jsonJobIDs(body []byte) ([]string, error) {
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	var jobIDs []string
	var walk func(v any) error
	walk = func(v any) error {
		switch v := v.(type) {
		case map[string]any:
			if jobID, ok := v["jobId"]; ok {
				s, ok := jobID.(string)
				if !ok {
					value, _ := json.Marshal(jobID)
					return fmt.Errorf("a jobId is not a string: %s", httpbody.Excerpt(value))
				}
				jobIDs = append(jobIDs, s)
				return nil
			}
			for _, name := range slices.Sorted(maps.Keys(v)) {
				if err := walk(v[name]); err != nil {
					return err
				}
			}
		case []any:
			for _, item := range v {
				if err := walk(item); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return jobIDs, walk(doc)
}

// ParsePush returns the job IDs of a status push's body, for those who mount a receiver of their
// own; NewPushHandler uses it. Fetch each job's report with GetStatusReport rather than trusting
// the rest of the push.
//
// Retarus documents the push's layout only by example, so the parser is tolerant. XML (a
// contentType such as text/xml, or a body that starts with '<') yields the jobId of every
// faxJobReport element wherever it is (the bare root, inside a ReportResponse, inside a SOAP
// envelope), with or without the vendor's namespace; a body without faxJobReport yields its
// jobId elements. A charset other than UTF-8 declared in the XML prolog is decoded. JSON
// (application/json, or a body that starts with '{' or '[') yields the string jobId of every
// object that has one, wherever it is (the top level, a "reports" list, a bare list).
//
// The IDs come in the order they appear (a JSON object's members by name), without duplicates. Each is checked like every job ID. A body
// that does not parse, a faxJobReport without exactly one jobId, a jobId that is not a string,
// an invalid job ID or a body without any is an error wrapping ErrInvalidArgument.
func ParsePush(contentType string, body []byte) ([]string, error) {
	var (
		jobIDs []string
		err    error
	)
	switch pushFormat(contentType, body) {
	case formatXML:
		jobIDs, err = xmlJobIDs(body)
	case formatJSON:
		jobIDs, err = jsonJobIDs(body)
	default:
		err = errors.New("neither XML nor JSON")
	}
	if err == nil && len(jobIDs) == 0 {
		err = errors.New("no job ID")
	}
	if err != nil {
		return nil, fmt.Errorf("faxreport: %w: push body: %w", ErrInvalidArgument, err)
	}
	unique := jobIDs[:0]
	seen := make(map[string]bool, len(jobIDs))
	for _, jobID := range jobIDs {
		if err := checkJobID(jobID); err != nil {
			return nil, fmt.Errorf("%w (in a push)", err)
		}
		if !seen[jobID] {
			seen[jobID] = true
			unique = append(unique, jobID)
		}
	}
	return unique, nil
}
