package faxreport_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

func ExampleNew() {
	client, err := faxreport.New(faxreport.Config{
		CustomerNumber: "12345",
		Username:       "user@example.com",
		Password:       "secret",
		Region:         faxreport.RegionEurope,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.Endpoints())
	// Output: [https://faxws.de1.retarus.com/rest/v1 https://faxws.de2.retarus.com/rest/v1]
}

func ExampleClient_GetStatusReport() {
	fake := faxtest.NewServer(faxtest.Options{}) // stands in for the Retarus data centers
	defer fake.Close()
	fake.LoadExamples()

	client, err := faxreport.New(fake.Config())
	if err != nil {
		log.Fatal(err)
	}
	report, err := client.GetStatusReport(context.Background(), "FJJ66GHGX105ZZBIELVCN1")
	switch {
	case errors.Is(err, faxreport.ErrNotFound):
		fmt.Println("no such job")
	case err != nil:
		log.Fatal(err)
	default:
		for _, r := range report.RecipientStatus {
			fmt.Println(report.JobID, r.Number, r.Status, r.Reason)
		}
	}
	// Output: FJJ66GHGX105ZZBIELVCN1 +49 89 1234567-8900 OK OK
}

func ExampleClient_WaitForStatusReport() {
	fake := faxtest.NewServer(faxtest.Options{})
	defer fake.Close()
	final := &faxreport.Report{JobID: "FJNEWJOB", Pages: 1, RecipientStatus: []faxreport.RecipientStatus{
		{Number: "+49 89 1234567", Status: faxreport.StatusOK, Reason: "OK", DurationInSecs: 12},
	}}
	fake.PutPending(final, faxtest.Pending{NotFoundReads: 1, Reads: 2}) // just sent

	client, _ := faxreport.New(fake.Config())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	report, err := client.WaitForStatusReport(ctx, "FJNEWJOB",
		faxreport.WaitOptions{MinPollInterval: 10 * time.Millisecond, MaxPollInterval: 100 * time.Millisecond}) // seconds, in real life
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(report.RecipientStatus[0].Status, faxreport.IsReportFinal(report))
	// Output: OK true
}

func ExampleClient_WaitForStatusReportJSON() {
	fake := faxtest.NewServer(faxtest.Options{})
	defer fake.Close()
	busy := faxreport.RecipientStatus{Number: "+41 44 1234567", Status: faxreport.StatusBusy, Reason: "BUSY"}
	fake.PutPending(&faxreport.Report{JobID: "FJSENT", Pages: 2, RecipientStatus: []faxreport.RecipientStatus{busy}},
		faxtest.Pending{Reads: 2}) // PENDING twice, then final

	client, _ := faxreport.New(fake.Config())
	raw, err := client.WaitForStatusReportJSON(context.Background(), "FJSENT",
		faxreport.WaitOptions{MaxWait: 10 * time.Minute, MinPollInterval: 10 * time.Millisecond, MaxPollInterval: 100 * time.Millisecond})
	if waitErr := (*faxreport.WaitError)(nil); errors.As(err, &waitErr) {
		log.Fatalf("not final yet, last seen %s: %v", waitErr.LastJSON, err)
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", raw) // the body of the poll that found it final, as the API sent it
	// Output: {"jobId":"FJSENT","pages":2,"recipientStatus":[{"durationInSecs":0,"number":"+41 44 1234567","reason":"BUSY","status":"BUSY"}]}
}

func ExampleClient_GetStatusReports() {
	fake := faxtest.NewServer(faxtest.Options{})
	defer fake.Close()
	fake.LoadExamples()

	client, _ := faxreport.New(fake.Config())
	jobs := []string{"FJJ66GHGX105ZZBIELVCN1", "FJUNKNOWN", "FJ0MINIMAL0REPORT00001"}
	for _, r := range client.GetStatusReports(context.Background(), jobs, faxreport.BatchOptions{Concurrency: 16}) {
		if r.Err != nil {
			fmt.Println(r.JobID, errors.Is(r.Err, faxreport.ErrNotFound))
			continue
		}
		fmt.Println(r.JobID, r.Report.RecipientStatus[0].Status)
	}
	// Output:
	// FJJ66GHGX105ZZBIELVCN1 OK
	// FJUNKNOWN true
	// FJ0MINIMAL0REPORT00001 BUSY
}

func ExampleClient_DeleteStatusReport() {
	fake := faxtest.NewServer(faxtest.Options{})
	defer fake.Close()
	fake.LoadExamples()

	client, _ := faxreport.New(fake.Config())
	res, err := client.DeleteStatusReport(context.Background(), "FJJ66GHGX105ZZBIELVCN1")
	fmt.Println(res.JobID, faxreport.IsDeleted(res), err)
	_, err = client.DeleteStatusReport(context.Background(), "FJJ66GHGX105ZZBIELVCN1")
	fmt.Println(errors.Is(err, faxreport.ErrNotFound))
	// Output:
	// FJJ66GHGX105ZZBIELVCN1 true <nil>
	// true
}
