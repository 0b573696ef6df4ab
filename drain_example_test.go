package faxreport_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// A drain that stores each report as the API sent it, and quarantines the reports that break the
// contract instead of leaving them in place.
func ExampleDrainConfig_quarantine() {
	fake := faxtest.NewServer(faxtest.Options{DataCenters: 1})
	defer fake.Close()
	fake.SeedReports(3)
	// The first listing holds a report whose sentTs is not RFC 3339.
	fake.DataCenter(0).Inject(faxtest.Fault{Times: 1, Malformed: []byte(`{"reports":[{"jobId":"FJBADDATE","pages":1,` +
		`"recipientStatus":[{"number":"+49 89 1234567","status":"OK","reason":"OK","sentTs":"2026-11-27T10:00:00+0100"}]}]}`)})

	client, _ := faxreport.New(fake.Config())
	counts, err := client.DrainStatusReports(context.Background(), faxreport.DrainConfig{
		HandleJSON: func(ctx context.Context, page []faxreport.RawReport) error {
			// Each report comes with its job ID and data center, and its bytes as sent (r.JSON).
			fmt.Printf("stored %d reports of the first data center: %t\n", len(page), page[0].DataCenter == client.Endpoints()[0])
			return nil // stored durably: these may be deleted
		},
		HandleInvalid: func(ctx context.Context, page []faxreport.InvalidReport) error {
			for _, r := range page {
				fmt.Printf("quarantined %s (%d bytes as sent): invalid %t\n", r.JobID, len(r.JSON), errors.Is(r.Err, faxreport.ErrInvalidResponse))
			}
			return nil // stored durably: these may be deleted too
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d reports, %d quarantined\n", counts.Reports, counts.Quarantined)
	// Output:
	// quarantined FJBADDATE (143 bytes as sent): invalid true
	// stored 3 reports of the first data center: true
	// 3 reports, 1 quarantined
}
