package faxreport_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// curlExample is one of the README's curl pushes.
type curlExample struct {
	contentType string
	credentials bool // -u user:password
	body        string
}

// readmeCurlExamples returns the curl pushes of the README: each sh block with a curl command
// whose body is a here-document.
func readmeCurlExamples(t *testing.T) []curlExample {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```sh\n(curl .*?)```").FindAllStringSubmatch(string(readme), -1)
	var examples []curlExample
	for _, block := range blocks {
		command, body, ok := strings.Cut(block[1], "<<'EOF'\n")
		body, ended := strings.CutSuffix(body, "EOF\n")
		contentType := regexp.MustCompile(`-H 'Content-Type: ([^']+)'`).FindStringSubmatch(command)
		if !ok || !ended || contentType == nil {
			t.Fatalf("README curl example not in the expected shape:\n%s", block[1])
		}
		examples = append(examples, curlExample{contentType[1], strings.Contains(command, " -u "), body})
	}
	return examples
}

// The README's curl pushes, XML and JSON, with and without credentials, are accepted as they
// are written: each names the example job, and a receiver answers it 204 after fetching and
// handling that job's report.
func TestREADMECurlPushesAreAccepted(t *testing.T) {
	const jobID = "FJJ66GHGX105ZZBIELVCN1"
	examples := readmeCurlExamples(t)
	var kinds []string
	for _, e := range examples {
		kinds = append(kinds, e.contentType+map[bool]string{true: " with credentials", false: " without"}[e.credentials])
	}
	if want := []string{"text/xml with credentials", "application/json with credentials", "application/json without"}; !slices.Equal(kinds, want) {
		t.Fatalf("README's curl pushes: %q, want %q", kinds, want)
	}
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	client, err := faxreport.New(s.Config())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range examples {
		if ids, err := faxreport.ParsePush(e.contentType, []byte(e.body)); err != nil || !slices.Equal(ids, []string{jobID}) {
			t.Errorf("%s: ParsePush: %q %v", e.contentType, ids, err)
		}
		var (
			mu      sync.Mutex
			handled []string
		)
		cfg := faxreport.PushConfig{Handle: func(_ context.Context, r *faxreport.Report) error {
			mu.Lock()
			defer mu.Unlock()
			handled = append(handled, r.JobID)
			return nil
		}}
		if e.credentials {
			cfg.Username, cfg.Password = "push-user", "push-password"
		} else {
			cfg.AllowUnauthenticated = true
		}
		handler, err := faxreport.NewPushHandler(client, cfg)
		if err != nil {
			t.Fatal(err)
		}
		receiver := httptest.NewServer(handler)
		req, _ := http.NewRequest(http.MethodPost, receiver.URL+"/", strings.NewReader(e.body))
		req.Header.Set("Content-Type", e.contentType)
		if e.credentials {
			req.SetBasicAuth("push-user", "push-password")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		receiver.Close()
		mu.Lock()
		if resp.StatusCode != http.StatusNoContent || !slices.Equal(handled, []string{jobID}) {
			t.Errorf("%s: answered %d, handled %q", e.contentType, resp.StatusCode, handled)
		}
		mu.Unlock()
	}
}
