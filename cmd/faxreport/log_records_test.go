package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// logRecords decodes the JSON log records among stderr's lines (those with a "level").
func logRecords(t *testing.T, stderr string) []map[string]any {
	t.Helper()
	var records []map[string]any
	for line := range strings.Lines(stderr) {
		var record map[string]any
		if err := json.Unmarshal([]byte(line), &record); err != nil {
			t.Fatalf("stderr line %q is not JSON: %v", line, err)
		}
		if record["level"] != nil {
			records = append(records, record)
		}
	}
	return records
}

// checkRecord fails the test for a record that breaks the rules every record keeps: durations
// with their unit, no empty job, job ID lists never null, the "faxreport: " prefix at most once.
func checkRecord(t *testing.T, record map[string]any) {
	t.Helper()
	line, _ := json.Marshal(record)
	if elapsed, ok := record["elapsed"].(string); !ok {
		t.Errorf("elapsed is no string with a unit: %s", line)
	} else if _, err := time.ParseDuration(elapsed); err != nil {
		t.Errorf("elapsed %q: %v", elapsed, err)
	}
	if job, has := record["job"]; has && job == "" {
		t.Errorf("empty job: %s", line)
	}
	if ids, has := record["job_ids"]; has {
		if _, isList := ids.([]any); !isList {
			t.Errorf("job_ids is not a list: %s", line)
		}
	}
	if n := strings.Count(string(line), "faxreport: "); n > 1 {
		t.Errorf("%d prefixes: %s", n, line)
	}
}

// The --verbose records of a bulk read (which concerns no one job) and of single reads keep the
// rules, as JSON and as text.
func TestLogRecordsOfRequestsAreTidy(t *testing.T) {
	_, env := fakeEnv(t)
	inv := runCLI(t, env, "", "get", "--json", "--verbose", exampleJob, "FJ0MINIMAL0REPORT00001", "FJNOSUCHJOB")
	records := logRecords(t, inv.stderr)
	bulk := 0
	for _, record := range records {
		checkRecord(t, record)
		if record["op"] == "bulk get" {
			bulk++
		}
	}
	if inv.code != exitNotFound || len(records) < 4 || bulk == 0 {
		t.Fatalf("exit %d, %d records (%d of bulk reads): %s", inv.code, len(records), bulk, inv.stderr)
	}
	inv = runCLI(t, env, "", "get", "--verbose", exampleJob, "FJ0MINIMAL0REPORT00001")
	if inv.code != exitOK || !strings.Contains(inv.stderr, "op=\"bulk get\"") || strings.Contains(inv.stderr, `job=""`) || strings.Contains(inv.stderr, "job= ") {
		t.Fatalf("text: exit %d %s", inv.code, inv.stderr)
	}
}

// The records of pushes keep the rules too: a push with no job ID logs [] as its job IDs, not
// null, and a push whose fetch failed quotes the error without a second prefix.
func TestLogRecordsOfPushesAreTidy(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	var logs syncBuffer
	cfg := s.Config()
	cfg.Logger = newLogger(&logs, true, true)
	client, err := faxreport.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	handler, err := faxreport.NewPushHandler(client, faxreport.PushConfig{
		Username: "principal", Password: "credentials",
		Handle: func(context.Context, *faxreport.Report) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	receiver := httptest.NewServer(handler)
	defer receiver.Close()
	for job, want := range map[string]int{exampleJob: http.StatusNoContent, "FJNOSUCHJOB": http.StatusServiceUnavailable} {
		resp, err := s.Push(receiver.URL, job, faxtest.PushBasicAuth("principal", "credentials"))
		if err != nil || resp.StatusCode != want {
			t.Fatalf("push %s: %v %v", job, err, resp)
		}
		resp.Body.Close()
	}
	req, _ := http.NewRequest(http.MethodPost, receiver.URL, strings.NewReader(`<faxJobReport></faxJobReport>`))
	req.Header.Set("Content-Type", "text/xml")
	req.SetBasicAuth("principal", "credentials")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("push of no job: %v %v", err, resp)
	}
	resp.Body.Close()

	pushes := 0
	for _, record := range logRecords(t, logs.String()) {
		checkRecord(t, record)
		if record["msg"] == "faxreport push" {
			pushes++
			if _, isList := record["job_ids"].([]any); !isList {
				t.Errorf("push record without a list of job IDs: %v", record)
			}
		}
	}
	if pushes != 3 {
		t.Fatalf("%d push records:\n%s", pushes, logs.String())
	}
}

// syncBuffer is a bytes.Buffer that the handler's goroutines may write concurrently.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
