package faxreport_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

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
