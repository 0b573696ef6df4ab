package faxreport_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

func ExampleNewPushHandler() {
	fake := faxtest.NewServer(faxtest.Options{}) // stands in for the Retarus data centers
	defer fake.Close()
	fake.LoadExamples()
	client, err := faxreport.New(fake.Config())
	if err != nil {
		log.Fatal(err)
	}

	push, err := faxreport.NewPushHandler(client, faxreport.PushConfig{
		// The principal and credentials given in statusReportOptions.httpStatusPush.
		Username: "push-user",
		Password: "push-secret",
		// Called with the report fetched from the API, never with the push's own data. Store it
		// idempotently by JobID: the same job may arrive twice. An error asks for the push again.
		Handle: func(ctx context.Context, r *faxreport.Report) error {
			fmt.Println("handled", r.JobID, r.RecipientStatus[0].Status)
			return nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/fax/push", push)
	receiver := httptest.NewServer(mux) // in production: an http.Server with TLS
	defer receiver.Close()

	// What Retarus does when the job is complete.
	resp, err := fake.Push(receiver.URL+"/fax/push", "FJJ66GHGX105ZZBIELVCN1", faxtest.PushBasicAuth("push-user", "push-secret"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode)
	// Output:
	// handled FJJ66GHGX105ZZBIELVCN1 OK
	// 204
}

func ExampleParsePush() {
	body := []byte(`<ReportResponse xmlns="http://retarus.com/fax4ba/faxws/3/0">
  <faxJobReport><jobId>FJJ66GHGX105ZZBIELVCN1</jobId><faxRecipient><status>OK</status></faxRecipient></faxJobReport>
</ReportResponse>`)
	// In a handler of one's own: authenticate, bound the body, parse it, then fetch each job's
	// report with client.GetStatusReport rather than trusting the push's data.
	jobIDs, err := faxreport.ParsePush("text/xml", body)
	fmt.Println(jobIDs, err)
	// Output: [FJJ66GHGX105ZZBIELVCN1] <nil>
}

func ExamplePushOutcome() {
	fake := faxtest.NewServer(faxtest.Options{})
	defer fake.Close()
	fake.LoadExamples()
	client, err := faxreport.New(fake.Config())
	if err != nil {
		log.Fatal(err)
	}

	var mu sync.Mutex
	counts := map[string]int{} // in production: a Prometheus counter vector
	push, err := faxreport.NewPushHandler(client, faxreport.PushConfig{
		Username: "push-user",
		Password: "push-secret",
		Handle:   func(context.Context, *faxreport.Report) error { return nil },
		OnPush: func(o faxreport.PushOutcome) {
			kind := "ok"
			switch {
			case o.Status == http.StatusUnauthorized:
				kind = "refused"
			case errors.Is(o.Err, faxreport.ErrPushOverloaded):
				kind = "overloaded"
			case errors.Is(o.Err, faxreport.ErrNotFound), errors.Is(o.Err, faxreport.ErrReportNotFinal):
				kind = "not_yet"
			case errors.Is(o.Err, faxreport.ErrHandleFailed):
				kind = "handle_failed"
			case o.Err != nil:
				kind = "fetch_failed"
			}
			mu.Lock()
			counts[kind]++
			mu.Unlock()
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	receiver := httptest.NewServer(push)
	defer receiver.Close()

	for _, p := range []struct{ jobID, password string }{
		{"FJJ66GHGX105ZZBIELVCN1", "push-secret"},
		{"FJ0PENDING0REPORT00001", "push-secret"},
		{"FJJ66GHGX105ZZBIELVCN1", "wrong"},
	} {
		resp, err := fake.Push(receiver.URL, p.jobID, faxtest.PushBasicAuth("push-user", p.password))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(p.jobID, resp.StatusCode)
	}
	mu.Lock()
	fmt.Println(counts)
	mu.Unlock()
	// Output:
	// FJJ66GHGX105ZZBIELVCN1 204
	// FJ0PENDING0REPORT00001 503
	// FJJ66GHGX105ZZBIELVCN1 401
	// map[not_yet:1 ok:1 refused:1]
}
