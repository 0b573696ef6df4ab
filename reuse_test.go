package faxreport_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path"
	"reflect"
	"testing"

	"github.com/faxreport/faxreport"
)

// The client reuses response buffers and parsed documents from one call to the next; what a
// call returned (a report, a report's JSON, an error quoting the body) must not change when
// later calls read other answers.
func TestAnswersStayIntactAfterLaterCalls(t *testing.T) {
	dc := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		id := path.Base(r.URL.Path)
		if id == "MISSING" {
			serveJSON(404, []byte(`{"code":404,"message":"no job MISSING here"}`))(w, r)
			return
		}
		if id == "GARBLED" {
			serveJSON(503, []byte(`<html>busy for job GARBLED</html>`))(w, r)
			return
		}
		if id == "BROKEN" {
			serveJSON(200, []byte(`{"jobId":"BROKEN","pages":"one"}`))(w, r)
			return
		}
		serveJSON(200, newReport(id).json())(w, r)
	})
	c := newClient(t, dc)
	ctx := testContext(t)
	first, err := c.GetStatusReport(ctx, "FIRST")
	if err != nil {
		t.Fatal(err)
	}
	firstJSON, err := c.GetStatusReportJSON(ctx, "FIRSTJSON")
	if err != nil {
		t.Fatal(err)
	}
	_, brokenErr := c.GetStatusReport(ctx, "BROKEN")
	if brokenErr == nil {
		t.Fatal("a report with a string for pages passed")
	}
	_, missingErr := c.GetStatusReport(ctx, "MISSING")
	_, garbledErr := c.GetStatusReport(ctx, "GARBLED")
	if missingErr == nil || garbledErr == nil {
		t.Fatal("an error status passed")
	}
	keepMissing, keepGarbled := missingErr.Error(), garbledErr.Error()
	var keep faxreport.Report
	copyJSON(t, first, &keep)
	keepJSON := bytes.Clone(firstJSON)
	keepErr := brokenErr.Error()
	for _, id := range []string{"SECOND-A-LITTLE-LONGER", "THIRD", "BROKEN", "MISSING", "GARBLED", "FOURTH"} {
		c.GetStatusReport(ctx, id)     //nolint:errcheck // only their effect on earlier answers counts
		c.GetStatusReportJSON(ctx, id) //nolint:errcheck
	}
	if !reflect.DeepEqual(*first, keep) {
		t.Errorf("first report changed:\n%+v\nwas\n%+v", *first, keep)
	}
	if !bytes.Equal(firstJSON, keepJSON) {
		t.Errorf("first report's JSON changed:\n%s\nwas\n%s", firstJSON, keepJSON)
	}
	for _, e := range []struct {
		err error
		was string
	}{{brokenErr, keepErr}, {missingErr, keepMissing}, {garbledErr, keepGarbled}} {
		if e.err.Error() != e.was {
			t.Errorf("error changed:\n%s\nwas\n%s", e.err, e.was)
		}
	}
}

// copyJSON deep-copies v into dst through JSON.
func copyJSON(t *testing.T, v, dst any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, dst); err != nil {
		t.Fatal(err)
	}
}
