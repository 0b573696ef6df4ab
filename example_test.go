package faxreport_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
)

// exampleDataCenters starts two stand-in data centers on loopback: the first has no report,
// the second has the document's example report.
func exampleDataCenters() (endpoints []string, closeAll func()) {
	notFound := httptest.NewServer(http.NotFoundHandler())
	found := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(api.Example(api.ReportExample))
	}))
	return []string{notFound.URL + "/rest/v1", found.URL + "/rest/v1"}, func() { notFound.Close(); found.Close() }
}

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
	endpoints, closeAll := exampleDataCenters()
	defer closeAll()

	client, err := faxreport.New(faxreport.Config{
		CustomerNumber: "12345",
		Username:       "user@example.com",
		Password:       "secret",
		Endpoints:      endpoints, // leave empty to use the region's data centers
	})
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
