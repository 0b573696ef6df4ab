package faxreport_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

func TestPushDocumentedExampleDeliversTheAPIsReport(t *testing.T) {
	env := newPushEnv(t, nil)
	env.fake.LoadExamples()
	wantStatus(t, env.push(t, testJobID), http.StatusNoContent)
	got := env.reports()
	if len(got) != 1 || got[0].JobID != testJobID || got[0].Reference == nil ||
		got[0].RecipientStatus[0].Number != "+49 89 1234567-8900" || got[0].RecipientStatus[0].Status != faxreport.StatusOK {
		t.Fatalf("handled %+v, want the API's example report", got)
	}
}

func TestPushVariantsAreAccepted(t *testing.T) {
	for name, opts := range map[string][]faxtest.PushOption{
		"ReportResponse wrapper":          {faxtest.PushInReportResponse()},
		"SOAP envelope":                   {faxtest.PushInSOAPEnvelope()},
		"no namespace":                    {faxtest.PushWithoutNamespace()},
		"wrapper without namespace":       {faxtest.PushInReportResponse(), faxtest.PushWithoutNamespace()},
		"SOAP envelope without namespace": {faxtest.PushInSOAPEnvelope(), faxtest.PushWithoutNamespace()},
		"JSON":                            {faxtest.PushAsJSON()},
	} {
		t.Run(name, func(t *testing.T) {
			env := newPushEnv(t, nil)
			env.fake.LoadExamples()
			wantStatus(t, env.push(t, testJobID, opts...), http.StatusNoContent)
			got := env.reports()
			if len(got) != 1 || got[0].JobID != testJobID || got[0].RecipientStatus[0].Status != faxreport.StatusOK {
				t.Fatalf("handled %+v, want the API's report (status OK)", got)
			}
		})
	}
}

func TestPushDeliversTheAPIsReportNotThePushsData(t *testing.T) {
	env := newPushEnv(t, nil)
	env.fake.Put(newReport("FJDIFFERS", faxreport.StatusBusy, faxreport.StatusNoFax).model())
	wantStatus(t, env.push(t, "FJDIFFERS", faxtest.PushRecipientStatus(faxreport.StatusOK)), http.StatusNoContent)
	got := env.reports()
	if len(got) != 1 || len(got[0].RecipientStatus) != 2 ||
		got[0].RecipientStatus[0].Status != faxreport.StatusBusy || got[0].RecipientStatus[1].Status != faxreport.StatusNoFax {
		t.Fatalf("handled %+v, want the API's report (BUSY, NOFAX), not the push's (OK)", got)
	}
}

func TestPushCredentials(t *testing.T) {
	for name, auth := range map[string][]faxtest.PushOption{
		"missing":          nil,
		"wrong password":   {faxtest.PushBasicAuth(pushUser, "wrong")},
		"wrong user":       {faxtest.PushBasicAuth("someone", pushPassword)},
		"empty":            {faxtest.PushBasicAuth("", "")},
		"password as user": {faxtest.PushBasicAuth(pushPassword, pushUser)},
	} {
		t.Run(name, func(t *testing.T) {
			env := newPushEnv(t, nil)
			env.fake.LoadExamples()
			resp, err := env.fake.Push(env.url, testJobID, auth...)
			if err != nil {
				t.Fatal(err)
			}
			wantStatus(t, resp, http.StatusUnauthorized)
			if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic ") {
				t.Errorf("WWW-Authenticate %q", resp.Header.Get("WWW-Authenticate"))
			}
			if n := len(env.fake.Requests()); n != 0 || len(env.reports()) != 0 {
				t.Fatalf("%d requests to the API and %d reports handled after a 401", n, len(env.reports()))
			}
		})
	}
	t.Run("unauthenticated when allowed", func(t *testing.T) {
		env := newPushEnv(t, func(c *faxreport.PushConfig) {
			*c = faxreport.PushConfig{AllowUnauthenticated: true}
		})
		env.fake.LoadExamples()
		resp, err := env.fake.Push(env.url, testJobID)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, resp, http.StatusNoContent)
	})
}

func TestPushJobNotVisibleYetIsAnsweredRetryLater(t *testing.T) {
	for name, pending := range map[string]faxtest.Pending{
		"not found":     {NotFoundReads: 1},
		"still PENDING": {Reads: 1},
	} {
		t.Run(name, func(t *testing.T) {
			env := newPushEnv(t, nil)
			env.fake.PutPending(newReport("FJJUSTDONE", faxreport.StatusOK).model(), pending)
			wantStatus(t, env.push(t, "FJJUSTDONE"), http.StatusServiceUnavailable)
			if n := len(env.reports()); n != 0 {
				t.Fatalf("%d reports handled before the API had the final one", n)
			}
			wantStatus(t, env.push(t, "FJJUSTDONE"), http.StatusNoContent)
			if got := env.reports(); len(got) != 1 || got[0].RecipientStatus[0].Status != faxreport.StatusOK {
				t.Fatalf("handled %+v", got)
			}
		})
	}
}

func TestPushHandleErrorIsAnsweredRetryLater(t *testing.T) {
	var calls atomic.Int32
	env := newPushEnv(t, func(c *faxreport.PushConfig) {
		c.Handle = func(context.Context, *faxreport.Report) error {
			if calls.Add(1) == 1 {
				return errors.New("database down")
			}
			return nil
		}
	})
	env.fake.LoadExamples()
	wantStatus(t, env.push(t, testJobID), http.StatusServiceUnavailable)
	wantStatus(t, env.push(t, testJobID), http.StatusNoContent)
	if n := calls.Load(); n != 2 {
		t.Fatalf("Handle called %d times, want 2", n)
	}
	if !strings.Contains(env.log.String(), "database down") {
		t.Errorf("the Handle error is not logged:\n%s", env.log)
	}
}

func TestPushAPIFailures(t *testing.T) {
	t.Run("unavailable: 503", func(t *testing.T) {
		env := newPushEnv(t, nil)
		env.fake.LoadExamples()
		env.fake.Home(testJobID).Inject(faxtest.Fault{Status: http.StatusServiceUnavailable})
		wantStatus(t, env.push(t, testJobID), http.StatusServiceUnavailable)
	})
	t.Run("contract broken: 502", func(t *testing.T) {
		env := newPushEnv(t, nil)
		env.fake.LoadExamples()
		env.fake.Home(testJobID).Inject(faxtest.Fault{Malformed: []byte(`{"jobId":"` + testJobID + `","pages":"one"}`)})
		wantStatus(t, env.push(t, testJobID), http.StatusBadGateway)
		if n := len(env.reports()); n != 0 {
			t.Fatalf("%d invalid reports handled", n)
		}
	})
	t.Run("one job of two not visible yet: 503", func(t *testing.T) {
		env := newPushEnv(t, nil)
		env.fake.LoadExamples()
		body := `<ReportResponse><faxJobReport><jobId>FJNOTYET</jobId></faxJobReport>` +
			`<faxJobReport><jobId>` + testJobID + `</jobId></faxJobReport></ReportResponse>`
		wantStatus(t, env.post(t, http.MethodPost, "text/xml", []byte(body)), http.StatusServiceUnavailable)
		if got := env.reports(); len(got) != 1 || got[0].JobID != testJobID {
			t.Fatalf("handled %+v, want the job that could be fetched", got)
		}
	})
}

func TestPushBadRequests(t *testing.T) {
	for name, tc := range map[string]struct {
		method, contentType, body string
		want                      int
	}{
		"GET":                        {http.MethodGet, "", "", http.StatusMethodNotAllowed},
		"PUT":                        {http.MethodPut, "text/xml", "<faxJobReport><jobId>FJ1</jobId></faxJobReport>", http.StatusMethodNotAllowed},
		"no job ID":                  {http.MethodPost, "text/xml", `<faxJobReport xmlns="` + faxtest.PushNamespace + `"><pages>1</pages></faxJobReport>`, http.StatusBadRequest},
		"empty ReportResponse":       {http.MethodPost, "text/xml", `<ReportResponse/>`, http.StatusBadRequest},
		"empty body":                 {http.MethodPost, "text/xml", ``, http.StatusBadRequest},
		"XML that does not parse":    {http.MethodPost, "text/xml", `<faxJobReport><jobId>FJ1</faxJobReport>`, http.StatusBadRequest},
		"JSON without jobId":         {http.MethodPost, "application/json", `{"reports":[{"id":"FJ1"}]}`, http.StatusBadRequest},
		"a job ID changing the path": {http.MethodPost, "application/json", `{"jobId":".."}`, http.StatusBadRequest},
		"neither XML nor JSON":       {http.MethodPost, "text/plain", `jobId=FJ1`, http.StatusBadRequest},
		"too many jobs":              {http.MethodPost, "application/json", manyJobs(faxreport.MaxPushJobs + 1), http.StatusBadRequest},
	} {
		t.Run(name, func(t *testing.T) {
			env := newPushEnv(t, nil)
			resp := env.post(t, tc.method, tc.contentType, []byte(tc.body))
			wantStatus(t, resp, tc.want)
			if tc.want == http.StatusMethodNotAllowed && resp.Header.Get("Allow") != http.MethodPost {
				t.Errorf("Allow %q", resp.Header.Get("Allow"))
			}
			if n := len(env.fake.Requests()); n != 0 {
				t.Fatalf("%d requests to the API", n)
			}
		})
	}
}

func TestPushBodyCap(t *testing.T) {
	// A valid push padded past the cap: refused before anything is parsed or fetched. JSON, not
	// XML: encoding/xml takes about a CPU-second for a MiB under -race, which on a loaded machine
	// ran past testContext's deadline; the JSON reader takes a fifth of that.
	padded := func(size int) []byte {
		head := `{"jobId":"` + testJobID + `","documentName":"`
		tail := `"}`
		return []byte(head + strings.Repeat("x", size-len(head)-len(tail)) + tail)
	}
	// Each 413 closes its connection, which net/http lingers over for 500 ms: in parallel.
	t.Run("default 1 MiB", func(t *testing.T) {
		t.Parallel()
		env := newPushEnv(t, nil)
		env.fake.LoadExamples()
		wantStatus(t, env.post(t, http.MethodPost, "application/json", padded(faxreport.DefaultMaxPushBytes+1)), http.StatusRequestEntityTooLarge)
		wantStatus(t, env.post(t, http.MethodPost, "application/json", padded(faxreport.DefaultMaxPushBytes)), http.StatusNoContent)
	})
	t.Run("MaxBodyBytes", func(t *testing.T) {
		t.Parallel()
		env := newPushEnv(t, func(c *faxreport.PushConfig) { c.MaxBodyBytes = 1000 })
		env.fake.LoadExamples()
		wantStatus(t, env.post(t, http.MethodPost, "application/json", padded(1001)), http.StatusRequestEntityTooLarge)
		if n := env.fetches(testJobID); n != 0 {
			t.Fatalf("%d fetches after a 413", n)
		}
		wantStatus(t, env.post(t, http.MethodPost, "application/json", padded(1000)), http.StatusNoContent)
	})
}

func TestNewPushHandlerRefusesBadConfig(t *testing.T) {
	client, err := faxreport.New(faxreport.Config{CustomerNumber: testCustNr, Username: testUser, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	handle := func(context.Context, *faxreport.Report) error { return nil }
	for name, tc := range map[string]struct {
		client *faxreport.Client
		cfg    faxreport.PushConfig
	}{
		"no credentials":                  {client, faxreport.PushConfig{Handle: handle}},
		"no password":                     {client, faxreport.PushConfig{Username: "u", Handle: handle}},
		"no user name":                    {client, faxreport.PushConfig{Password: "p", Handle: handle}},
		"credentials and unauthenticated": {client, faxreport.PushConfig{Username: "u", Password: "p", AllowUnauthenticated: true, Handle: handle}},
		"nil Handle":                      {client, faxreport.PushConfig{Username: "u", Password: "p"}},
		"user name with a colon":          {client, faxreport.PushConfig{Username: "push:user", Password: "p", Handle: handle}},
		"negative MaxBodyBytes":           {client, faxreport.PushConfig{Username: "u", Password: "p", Handle: handle, MaxBodyBytes: -1}},
		"negative MaxFetches":             {client, faxreport.PushConfig{Username: "u", Password: "p", Handle: handle, MaxFetches: -1}},
		"nil Client":                      {nil, faxreport.PushConfig{Username: "u", Password: "p", Handle: handle}},
	} {
		t.Run(name, func(t *testing.T) {
			h, err := faxreport.NewPushHandler(tc.client, tc.cfg)
			if h != nil || !errors.Is(err, faxreport.ErrInvalidArgument) {
				t.Fatalf("got %v, %v; want ErrInvalidArgument", h, err)
			}
		})
	}
}

func TestPushConfigPrintsNoPassword(t *testing.T) {
	cfg := faxreport.PushConfig{Username: pushUser, Password: pushPassword, MaxFetches: 7, OnPush: func(faxreport.PushOutcome) {}}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg)} {
		if strings.Contains(s, pushPassword) || !strings.Contains(s, pushUser) || !strings.Contains(s, "OnPush:set") || !strings.Contains(s, "MaxFetches:7") {
			t.Errorf("printed as %s", s)
		}
	}
}

func TestPushLogsJobIDsAndOutcomeWithoutSecrets(t *testing.T) {
	env := newPushEnv(t, nil)
	env.fake.LoadExamples()
	wantStatus(t, env.push(t, testJobID), http.StatusNoContent)
	resp, _ := env.fake.Push(env.url, testJobID, faxtest.PushBasicAuth(pushUser, pushPassword+"x"))
	wantStatus(t, resp, http.StatusUnauthorized)
	const secretTail = "SECRET-TAIL-OF-THE-BODY"
	unparsable := "<faxJobReport>" + strings.Repeat("y", 500) + secretTail
	wantStatus(t, env.post(t, http.MethodPost, "text/xml", []byte(unparsable)), http.StatusBadRequest)

	logged := env.log.String()
	for _, want := range []string{"faxreport push", testJobID, "level=DEBUG msg=\"faxreport push\" status=204", "level=WARN msg=\"faxreport push\" status=401", "level=WARN msg=\"faxreport push\" status=400", "body_excerpt"} {
		if !strings.Contains(logged, want) {
			t.Errorf("log lacks %q:\n%s", want, logged)
		}
	}
	for _, secret := range []string{pushPassword, pushUser, "Basic ", secretTail} {
		if strings.Contains(logged, secret) {
			t.Errorf("log shows %q:\n%s", secret, logged)
		}
	}
}

// A job ID of 20 KB (one of 300 KB made a 307 KB record) is quoted in the push's record by its
// first 64 bytes, as errors do.
func TestPushLogQuotesAtMost64BytesOfAJobID(t *testing.T) {
	env := newPushEnv(t, nil)
	hugeID := "FJ" + strings.Repeat("X", 62) + strings.Repeat("Y", 20<<10)
	env.post(t, http.MethodPost, "application/json", []byte(`{"jobId":"`+hugeID+`"}`))
	logged := env.log.String()
	if !strings.Contains(logged, "faxreport push") || !strings.Contains(logged, hugeID[:64]) {
		t.Fatalf("no record of the push, or without the job ID's first 64 bytes:\n%.2000s", logged)
	}
	if len(logged) > 4<<10 { // the records of the push and its fetches; a data center's echo is an excerpt

		t.Fatalf("the log quotes more than 64 bytes of the job ID (%d bytes logged):\n%.2000s", len(logged), logged)
	}
}

func TestPushHandlePanicIsNotAnAnswer(t *testing.T) {
	var panics atomic.Bool
	panics.Store(true)
	env := newPushEnv(t, func(c *faxreport.PushConfig) {
		c.Handle = func(context.Context, *faxreport.Report) error {
			if panics.Load() {
				panic("bug in Handle")
			}
			return nil
		}
	})
	env.fake.LoadExamples()
	if resp, err := env.fake.Push(env.url, testJobID, faxtest.PushBasicAuth(pushUser, pushPassword)); err == nil {
		t.Fatalf("a push whose Handle panicked was answered %d", resp.StatusCode)
	}
	panics.Store(false) // the push above has ended: its connection was aborted
	wantStatus(t, env.push(t, testJobID), http.StatusNoContent)
}

// TestPushConcurrentPushes sends 100 pushes for 20 jobs at once: every push is answered, and the
// pushes of one job share one fetch and one Handle call. Each job's Handle is held until all of
// that job's pushes have joined its delivery.
func TestPushConcurrentPushes(t *testing.T) {
	const jobs, pushesPerJob = 20, 5
	ctx := testContext(t)
	var (
		mu      sync.Mutex
		joined  = map[string]int{}
		release = map[string]chan struct{}{}
		handled = map[string]int{}
	)
	jobID := func(i int) string { return fmt.Sprintf("FJCONCURRENT%02d", i) }
	for i := range jobs {
		release[jobID(i)] = make(chan struct{})
	}
	defer faxreport.SetFlightJoined(func(jobID string) {
		mu.Lock()
		defer mu.Unlock()
		if joined[jobID]++; joined[jobID] == pushesPerJob {
			close(release[jobID])
		}
	})()
	env := newPushEnv(t, func(c *faxreport.PushConfig) {
		c.Handle = func(_ context.Context, r *faxreport.Report) error {
			mu.Lock()
			handled[r.JobID]++
			mu.Unlock()
			select {
			case <-release[r.JobID]:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})
	for i := range jobs {
		env.fake.Put(newReport(jobID(i), faxreport.StatusOK).model())
	}

	statuses := make(chan int, jobs*pushesPerJob)
	var wg sync.WaitGroup
	for i := range jobs * pushesPerJob {
		wg.Go(func() {
			resp, err := env.fake.Push(env.url, jobID(i%jobs), faxtest.PushBasicAuth(pushUser, pushPassword))
			if err != nil {
				t.Error(err)
				statuses <- 0
				return
			}
			statuses <- resp.StatusCode
		})
	}
	wg.Wait()
	close(statuses)
	answered := 0
	for status := range statuses {
		if status != http.StatusNoContent {
			t.Errorf("a push was answered %d", status)
		}
		answered++
	}
	if answered != jobs*pushesPerJob {
		t.Fatalf("%d pushes answered of %d", answered, jobs*pushesPerJob)
	}
	for i := range jobs {
		id := jobID(i)
		mu.Lock()
		handles := handled[id]
		mu.Unlock()
		if fetches := env.fetches(id); handles != 1 || fetches != 1 {
			t.Errorf("job %s: %d fetches and %d Handle calls for %d concurrent pushes, want 1 and 1", id, fetches, handles, pushesPerJob)
		}
	}
}

// manyJobs is a JSON push naming n jobs.
func manyJobs(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"jobId":"FJMANY%04d"}`, i)
	}
	return `{"reports":[` + strings.Join(items, ",") + `]}`
}

// HandleJSON gets the report exactly as the API sent it, once per job, with the same rules.
func TestPushHandleJSONGetsTheAPIsBytes(t *testing.T) {
	var got []string
	env := newPushEnv(t, func(c *faxreport.PushConfig) {
		c.HandleJSON = func(_ context.Context, jobID string, report json.RawMessage) error {
			got = append(got, jobID+" "+string(report))
			return nil
		}
	})
	env.fake.LoadExamples()
	wantStatus(t, env.push(t, testJobID), http.StatusNoContent)
	if want := testJobID + " " + string(api.Example(api.ReportExample)); len(got) != 1 || got[0] != want {
		t.Fatalf("HandleJSON got %q, want %q", got, want)
	}
	wantStatus(t, env.push(t, "FJ0PENDING0REPORT00001"), http.StatusServiceUnavailable) // still PENDING
	if len(got) != 1 {
		t.Fatalf("a PENDING report was handed over: %q", got[1:])
	}
	for _, both := range []faxreport.PushConfig{
		{Username: "u", Password: "p"},
		{Username: "u", Password: "p", Handle: env.record, HandleJSON: func(context.Context, string, json.RawMessage) error { return nil }},
	} {
		_, err := faxreport.NewPushHandler(faxreportClient(t, env), both)
		mustFail(t, err, faxreport.ErrInvalidArgument)
	}
}

// faxreportClient is a client of env's fake.
func faxreportClient(t *testing.T, env *pushEnv) *faxreport.Client {
	c, err := faxreport.New(env.fake.Config())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// PushConfig.Timeout bounds a job's fetch: a data center that never answers gets the push 503.
func TestPushTimeoutBoundsTheFetch(t *testing.T) {
	env := newPushEnv(t, func(c *faxreport.PushConfig) { c.Timeout = 200 * time.Millisecond })
	env.fake.LoadExamples()
	for _, dc := range env.fake.DataCenters() {
		dc.SetLatency(time.Minute)
	}
	start := time.Now()
	wantStatus(t, env.push(t, testJobID), http.StatusServiceUnavailable)
	if elapsed := time.Since(start); elapsed > 10*time.Second { // loose: a hang would take a minute
		t.Fatalf("answered after %v", elapsed)
	}
	if n := len(env.reports()); n != 0 {
		t.Fatalf("%d reports handled", n)
	}
}
