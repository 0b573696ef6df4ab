package faxreport_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

func ExampleClient_ListStatusReports() {
	fake := faxtest.NewServer(faxtest.Options{}) // stands in for the Retarus data centers
	defer fake.Close()
	fake.SeedReports(2500) // completed reports, 1250 in each data center

	client, _ := faxreport.New(fake.Config())
	listing, err := client.ListStatusReports(context.Background())
	if err != nil {
		// A data center failed: its part has the error, the others' parts their reports.
		log.Print(err)
	}
	for i, part := range listing.Parts {
		fmt.Printf("data center %d: %d reports, more to come: %t\n", i, len(part.Reports), part.Truncated)
	}
	// Output:
	// data center 0: 1000 reports, more to come: true
	// data center 1: 1000 reports, more to come: true
}

func ExampleClient_GetStatusReports_bulk() {
	fake := faxtest.NewServer(faxtest.Options{})
	defer fake.Close()
	ids := fake.SeedReports(3000)

	client, _ := faxreport.New(fake.Config())
	results := client.GetStatusReports(context.Background(), append(ids, "FJUNKNOWN"), faxreport.BatchOptions{})
	found := 0
	for _, r := range results {
		switch {
		case errors.Is(r.Err, faxreport.ErrNotFound):
			fmt.Println(r.JobID, "not found")
		case r.Err != nil:
			log.Fatal(r.Err)
		default:
			found++
		}
	}
	// 3001 IDs: 4 bulk requests per data center, then one single read each to confirm the
	// unknown job before calling it not found.
	fmt.Println(found, "reports in", len(fake.Requests()), "requests")
	// Output:
	// FJUNKNOWN not found
	// 3000 reports in 10 requests
}

func ExampleClient_GetStatusReports_json() {
	fake := faxtest.NewServer(faxtest.Options{})
	defer fake.Close()
	// A report as a data center may send it: a field faxreport does not know, its own order.
	fake.PutJSON([]byte(`{"pages":1,"jobId":"FJ1","recipientStatus":[{"number":"+49 89 1234567","status":"OK","reason":"OK","durationInSecs":9}],"vendorExtra":true}`))

	client, _ := faxreport.New(fake.Config())
	results := client.GetStatusReports(context.Background(), []string{"FJ1", "FJUNKNOWN", "FJ1"}, faxreport.BatchOptions{})
	for _, r := range results {
		if errors.Is(r.Err, faxreport.ErrNotFound) {
			fmt.Println(r.JobID, "not found")
			continue
		}
		if r.Err != nil {
			log.Fatal(r.Err) // a data center failed: worth another try
		}
		fmt.Printf("%s\n", r.JSON) // as the API sent it: store or forward it as it is
	}
	// One bulk request per data center, then one single read each to confirm the unknown job.
	fmt.Println(len(fake.Requests()), "requests")
	// Output:
	// {"pages":1,"jobId":"FJ1","recipientStatus":[{"number":"+49 89 1234567","status":"OK","reason":"OK","durationInSecs":9}],"vendorExtra":true}
	// FJUNKNOWN not found
	// {"pages":1,"jobId":"FJ1","recipientStatus":[{"number":"+49 89 1234567","status":"OK","reason":"OK","durationInSecs":9}],"vendorExtra":true}
	// 4 requests
}

func ExampleClient_DeleteStatusReports() {
	fake := faxtest.NewServer(faxtest.Options{})
	defer fake.Close()
	fake.LoadExamples()

	client, _ := faxreport.New(fake.Config())
	for _, r := range client.DeleteStatusReports(context.Background(), []string{"FJJ66GHGX105ZZBIELVCN1", "FJUNKNOWN"}, faxreport.BatchOptions{}) {
		switch {
		case r.Err == nil:
			fmt.Println(r.JobID, "deleted")
		case errors.Is(r.Err, faxreport.ErrNotFound):
			fmt.Println(r.JobID, "not found")
		default: // ErrDeleteUnconfirmed, a failed data center: worth another try
			fmt.Println(r.JobID, r.Err)
		}
	}
	// Output:
	// FJJ66GHGX105ZZBIELVCN1 deleted
	// FJUNKNOWN not found
}

func ExampleClient_DrainStatusReports() {
	fake := faxtest.NewServer(faxtest.Options{})
	defer fake.Close()
	fake.SeedReports(2500)

	client, _ := faxreport.New(fake.Config())
	stored := map[string]bool{} // stands in for the caller's database
	counts, err := client.DrainStatusReports(context.Background(), faxreport.DrainConfig{Handle: func(ctx context.Context, page []*faxreport.Report) error {
		// Store the page durably before returning nil: the page is deleted only then. A page
		// may come again after a crash, so storing must be idempotent on the job ID.
		for _, r := range page {
			stored[r.JobID] = true
		}
		return nil
	}})
	if err != nil {
		log.Fatal(err) // nothing unhandled was deleted; run the drain again later
	}
	fmt.Printf("%d pages, %d reports stored, %d deleted\n", counts.Pages, len(stored), counts.Deleted)
	// Output: 4 pages, 2500 reports stored, 2500 deleted
}
