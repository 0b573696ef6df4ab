package faxreport_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

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
