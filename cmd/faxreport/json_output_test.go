package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

// get --json and wait --json print the same thing for the same report: the API's own bytes
// (field order, "properties": null), compact, one report per line.
func TestJSONIsTheAPIsBytesWhateverTheCommand(t *testing.T) {
	_, env := fakeEnv(t)
	want := compact(t, api.Example(api.ReportExample)) + compact(t, api.Example(api.ReportMinimal))
	if !strings.Contains(want, `"properties":null`) {
		t.Fatal("the example lost its null properties")
	}
	for _, command := range []string{"get", "wait"} {
		inv := runCLI(t, env, "", command, "--json", exampleJob, "FJ0MINIMAL0REPORT00001")
		if inv.code != exitOK || inv.stdout != want {
			t.Errorf("%s --json: exit %d\n%s\nwant\n%s%s", command, inv.code, inv.stdout, want, inv.stderr)
		}
	}
}

// get --json of several jobs reads them in bulk, one request per data center and one more each
// to confirm the job nobody has, and prints each report as the API sent it (an unknown field,
// the order of the fields, a null), compact, in the order of the IDs, a duplicate each time.
func TestGetJSONOfSeveralJobsReadsInBulk(t *testing.T) {
	s, env := fakeEnv(t)
	args := []string{"get", "--json"}
	want := ""
	for i := range 6 {
		id := fmt.Sprintf("FJBULKJSON%d", i)
		sent := fmt.Sprintf(`{ "vendorExtra": [1, null], "pages": %d,
			"recipientStatus": [{"status": "OK", "number": "+49 89 1234567", "reason": "OK", "properties": null, "durationInSecs": 7}],
			"jobId": %q }`, i+1, id)
		s.DataCenter(i % 2).PutJSON([]byte(sent))
		args, want = append(args, id), want+compact(t, []byte(sent))
	}
	first := strings.SplitAfter(want, "\n")[0]
	inv := runCLI(t, env, "", append(args, "FJNOSUCHJOB", "FJBULKJSON0")...)
	if inv.code != exitNotFound || inv.stdout != want+first {
		t.Fatalf("exit %d\n%s\nwant\n%s%s", inv.code, inv.stdout, want+first, inv.stderr)
	}
	if errs := errorLines(t, inv.stderr); len(errs) != 1 || errs[0].JobID == nil || *errs[0].JobID != "FJNOSUCHJOB" || errs[0].Kind != "not_found" {
		t.Errorf("stderr %q, want one not_found error for FJNOSUCHJOB", inv.stderr)
	}
	for i, dc := range s.DataCenters() {
		var posts, gets int
		for _, r := range dc.Requests() {
			if r.Method == http.MethodPost {
				posts++
			} else if r.JobID == "FJNOSUCHJOB" {
				gets++
			}
		}
		if n := dc.RequestCount(); posts != 1 || gets != 1 || n != 2 {
			t.Errorf("data center %d: %d requests, %d bulk and %d for FJNOSUCHJOB; want 1 bulk and 1 to confirm", i, n, posts, gets)
		}
	}
}

// delete --json prints the service's answer, one line per job.
func TestDeleteJSON(t *testing.T) {
	_, env := fakeEnv(t)
	inv := runCLI(t, env, "", "delete", "--json", exampleJob, "FJ0MINIMAL0REPORT00001")
	want := `{"deleted":true,"jobId":"` + exampleJob + `"}` + "\n" + `{"deleted":true,"jobId":"FJ0MINIMAL0REPORT00001"}` + "\n"
	if inv.code != exitOK || inv.stdout != want {
		t.Fatalf("exit %d\n%s%s", inv.code, inv.stdout, inv.stderr)
	}
}

// wait --json prints the final report as the API sent it, not the pending one it saw before.
func TestWaitJSONPrintsTheFinalReport(t *testing.T) {
	s, env := fakeEnv(t)
	s.PutPending(&faxreport.Report{JobID: "FJWAITJSON", Pages: 1, RecipientStatus: []faxreport.RecipientStatus{
		{Number: "+1 555 0100", Status: faxreport.StatusBusy, Reason: "Line busy"},
	}}, faxtest.Pending{Reads: 2})
	inv := runCLI(t, env, "", "wait", "--json", "--poll-min", "1ms", "--poll-max", "5ms", "FJWAITJSON")
	if inv.code != exitOK || strings.Count(inv.stdout, "\n") != 1 || !strings.Contains(inv.stdout, `"status":"BUSY"`) {
		t.Fatalf("exit %d\n%s%s", inv.code, inv.stdout, inv.stderr)
	}
}

// jsonError is the documented shape of an error with --json.
type jsonError struct {
	JobID    *string `json:"jobId"`
	Kind     string  `json:"kind"`
	ExitCode int     `json:"exitCode"`
	Message  string  `json:"message"`
}

// errorLines decodes stderr as one JSON error per line, strictly.
func errorLines(t *testing.T, stderr string) []jsonError {
	t.Helper()
	var errs []jsonError
	for line := range strings.Lines(stderr) {
		var e jsonError
		d := json.NewDecoder(strings.NewReader(line))
		d.DisallowUnknownFields()
		if err := d.Decode(&e); err != nil {
			t.Fatalf("stderr line %q is not a JSON error: %v", line, err)
		}
		errs = append(errs, e)
	}
	return errs
}

// With --json, every failed job is one JSON object on stderr: the job ID, the kind that
// matches the exit code, and the message; reports stay alone on stdout.
func TestJSONErrorsPerJob(t *testing.T) {
	s, env := fakeEnv(t)
	inv := runCLI(t, env, "", "get", "--json", "FJNOSUCHJOB", exampleJob, "..")
	if inv.code != exitNotFound || inv.stdout != compact(t, api.Example(api.ReportExample)) {
		t.Fatalf("exit %d\n%s", inv.code, inv.stdout)
	}
	errs := errorLines(t, inv.stderr)
	if len(errs) != 2 {
		t.Fatalf("want 2 errors, got %q", inv.stderr)
	}
	for i, want := range []struct {
		job, kind string
		code      int
	}{{"FJNOSUCHJOB", "not_found", exitNotFound}, {"..", "invalid_input", exitUsage}} {
		e := errs[i]
		if e.JobID == nil || *e.JobID != want.job || e.Kind != want.kind || e.ExitCode != want.code ||
			!strings.Contains(e.Message, want.job) || strings.HasPrefix(e.Message, "faxreport: ") {
			t.Errorf("error %d: %+v, want job %s kind %s code %d", i, e, want.job, want.kind, want.code)
		}
	}

	env["FAXREPORT_PASSWORD"] = "wrong-password-123"
	inv = runCLI(t, env, "", "wait", "--json", exampleJob)
	if errs := errorLines(t, inv.stderr); inv.code != exitUnauthorized || len(errs) != 1 ||
		errs[0].Kind != "unauthorized" || errs[0].ExitCode != exitUnauthorized || strings.Contains(inv.stderr, "wrong-password-123") {
		t.Fatalf("exit %d %q", inv.code, inv.stderr)
	}
	_ = s
}

// With --json, a failure that concerns no job is one JSON object without a job ID, with no
// usage hint after it.
func TestJSONErrorWithoutAJob(t *testing.T) {
	for _, args := range [][]string{
		{"get", "--json", exampleJob},                                 // no credentials
		{"get", "--json", "--demo", "--region", "europe", exampleJob}, // --demo with a region
		{"wait", "--json", "--demo", "--not-found-limit", "-1", exampleJob},
	} {
		inv := runCLI(t, nil, "", args...)
		errs := errorLines(t, inv.stderr)
		if inv.code != exitUsage || len(errs) != 1 || errs[0].JobID != nil || errs[0].Kind != "invalid_input" || errs[0].ExitCode != exitUsage {
			t.Errorf("%q: exit %d %q", args, inv.code, inv.stderr)
		}
	}
}

// Every error kind is documented in the help, with the exit code it matches.
func TestJSONErrorKindsDocumented(t *testing.T) {
	help := runCLI(t, nil, "", "--help").stdout
	for code, kind := range errorKinds {
		if !strings.Contains(help, kind) {
			t.Errorf("help does not document the kind %s of exit code %d", kind, code)
		}
	}
}

// wait --json prints, for each job, the bytes of the poll that found its report final, and
// makes no request after it: the server changes an unknown field and the whitespace on every
// poll, so that a later read would differ.
func TestWaitJSONPrintsTheFinalPollsBytes(t *testing.T) {
	const finalPoll = 3
	var (
		mu     sync.Mutex
		served = map[string][][]byte{}
	)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		job := path.Base(r.URL.Path)
		mu.Lock()
		n := len(served[job]) + 1
		status := faxreport.StatusPending
		if n >= finalPoll {
			status = faxreport.StatusOK
		}
		body := fmt.Appendf(nil, `{"jobId":%q,%s"poll":%d,"recipientStatus":[{"number":"+1 555 0100","status":%q,"reason":"r","durationInSecs":0}],"pages":1}`,
			job, strings.Repeat(" ", n), n, status)
		served[job] = append(served[job], body)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(server.Close)
	env := map[string]string{
		"FAXREPORT_CUSTNR": "12345", "FAXREPORT_USERNAME": "user", "FAXREPORT_PASSWORD": "password",
		"FAXREPORT_ENDPOINTS": server.URL + "/rest/v1",
	}
	inv := runCLI(t, env, "", "wait", "--json", "--poll-min", "1ms", "--poll-max", "5ms", "FJFIRST", "FJSECOND")
	mu.Lock()
	defer mu.Unlock()
	if inv.code != exitOK || len(served["FJFIRST"]) != finalPoll || len(served["FJSECOND"]) != finalPoll {
		t.Fatalf("exit %d, polls %d and %d, want %d each\n%s%s", inv.code, len(served["FJFIRST"]), len(served["FJSECOND"]), finalPoll, inv.stdout, inv.stderr)
	}
	if want := compact(t, served["FJFIRST"][finalPoll-1]) + compact(t, served["FJSECOND"][finalPoll-1]); inv.stdout != want {
		t.Fatalf("printed\n%swant the final polls'\n%s", inv.stdout, want)
	}
}
