package faxreport_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// The hook sees every push once, with its job IDs, its answer and an error that says why.
func TestPushOutcomeIsReportedOncePerPush(t *testing.T) {
	errDatabase := errors.New("database down")
	for name, tc := range map[string]struct {
		prepare func(env *pushEnv)
		send    func(t *testing.T, env *pushEnv) *http.Response
		status  int
		jobIDs  []string
		wantErr []error // each must match the outcome's Err
	}{
		"delivered": {
			send:   func(t *testing.T, env *pushEnv) *http.Response { return env.push(t, testJobID) },
			status: http.StatusNoContent, jobIDs: []string{testJobID},
		},
		"wrong credentials": {
			send: func(t *testing.T, env *pushEnv) *http.Response {
				resp, err := env.fake.Push(env.url, testJobID, faxtest.PushBasicAuth(pushUser, "wrong"))
				if err != nil {
					t.Fatal(err)
				}
				return resp
			},
			status: http.StatusUnauthorized, jobIDs: []string{},
		},
		"unparsable body": {
			send: func(t *testing.T, env *pushEnv) *http.Response {
				return env.post(t, http.MethodPost, "text/xml", []byte("<faxJobReport>"))
			},
			status: http.StatusBadRequest, jobIDs: []string{}, wantErr: []error{faxreport.ErrInvalidArgument},
		},
		"not found": {
			send:   func(t *testing.T, env *pushEnv) *http.Response { return env.push(t, "FJNOTTHERE") },
			status: http.StatusServiceUnavailable, jobIDs: []string{"FJNOTTHERE"}, wantErr: []error{faxreport.ErrNotFound},
		},
		"still PENDING": {
			send:   func(t *testing.T, env *pushEnv) *http.Response { return env.push(t, "FJ0PENDING0REPORT00001") },
			status: http.StatusServiceUnavailable, jobIDs: []string{"FJ0PENDING0REPORT00001"}, wantErr: []error{faxreport.ErrReportNotFinal},
		},
		"data center unavailable": {
			prepare: func(env *pushEnv) {
				env.fake.Home(testJobID).Inject(faxtest.Fault{Status: http.StatusServiceUnavailable})
			},
			send:   func(t *testing.T, env *pushEnv) *http.Response { return env.push(t, testJobID) },
			status: http.StatusServiceUnavailable, jobIDs: []string{testJobID}, wantErr: []error{faxreport.ErrUnavailable},
		},
		"contract broken": {
			prepare: func(env *pushEnv) {
				env.fake.Home(testJobID).Inject(faxtest.Fault{Malformed: []byte(`{"jobId":"` + testJobID + `","pages":"one"}`)})
			},
			send:   func(t *testing.T, env *pushEnv) *http.Response { return env.push(t, testJobID) },
			status: http.StatusBadGateway, jobIDs: []string{testJobID}, wantErr: []error{faxreport.ErrInvalidResponse},
		},
		"Handle failed": {
			prepare: func(env *pushEnv) {
				env.handleErr = errDatabase
			},
			send:   func(t *testing.T, env *pushEnv) *http.Response { return env.push(t, testJobID) },
			status: http.StatusServiceUnavailable, jobIDs: []string{testJobID}, wantErr: []error{faxreport.ErrHandleFailed, errDatabase},
		},
	} {
		t.Run(name, func(t *testing.T) {
			var outcomes outcomeRecorder
			env := newPushEnv(t, func(c *faxreport.PushConfig) { c.OnPush = outcomes.record })
			env.fake.LoadExamples()
			if tc.prepare != nil {
				tc.prepare(env)
			}
			wantStatus(t, tc.send(t, env), tc.status)
			out := outcomes.only(t)
			if out.Status != tc.status || out.JobIDs == nil || len(out.JobIDs) != len(tc.jobIDs) ||
				len(tc.jobIDs) > 0 && out.JobIDs[0] != tc.jobIDs[0] || out.Duration <= 0 {
				t.Errorf("outcome %+v, want status %d and job IDs %q", out, tc.status, tc.jobIDs)
			}
			if (out.Err == nil) != (tc.status < 300) {
				t.Errorf("outcome error %v for status %d", out.Err, tc.status)
			}
			for _, want := range tc.wantErr {
				if !errors.Is(out.Err, want) {
					t.Errorf("outcome error %q does not match %q", out.Err, want)
				}
			}
		})
	}
}

// A data center's error status is there for errors.As, to count by status.
func TestPushOutcomeCarriesTheAPIError(t *testing.T) {
	var outcomes outcomeRecorder
	env := newPushEnv(t, func(c *faxreport.PushConfig) { c.OnPush = outcomes.record })
	env.fake.LoadExamples()
	env.fake.Home(testJobID).Inject(faxtest.Fault{Status: http.StatusUnauthorized})
	wantStatus(t, env.push(t, testJobID), http.StatusServiceUnavailable)
	var apiErr *faxreport.APIError
	if out := outcomes.only(t); !errors.As(out.Err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized || !errors.Is(out.Err, faxreport.ErrUnauthorized) {
		t.Fatalf("outcome error %v, want the data center's 401", out.Err)
	}
}

// A Handle that panicked is reported (500, ErrHandleFailed) before the connection is aborted.
func TestPushOutcomeOfAPanic(t *testing.T) {
	var outcomes outcomeRecorder
	env := newPushEnv(t, func(c *faxreport.PushConfig) {
		c.OnPush = outcomes.record
		c.Handle = func(context.Context, *faxreport.Report) error { panic("bug in Handle") }
	})
	env.fake.LoadExamples()
	if resp, err := env.fake.Push(env.url, testJobID, faxtest.PushBasicAuth(pushUser, pushPassword)); err == nil {
		t.Fatalf("a push whose Handle panicked was answered %d", resp.StatusCode)
	}
	if out := outcomes.only(t); out.Status != http.StatusInternalServerError || !errors.Is(out.Err, faxreport.ErrHandleFailed) {
		t.Fatalf("outcome %+v, want 500 and ErrHandleFailed", out)
	}
}
