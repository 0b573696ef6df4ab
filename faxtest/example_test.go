package faxtest_test

import (
	"context"
	"fmt"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// A user's test of their own code against a fake region: in a real test, pass Options{T: t} and
// the server closes itself and fails the test on requests outside the contract.
func Example() {
	s := faxtest.NewServer(faxtest.Options{})
	defer s.Close()
	s.LoadExamples()                                             // the reports of package api
	s.DataCenter(0).Inject(faxtest.Fault{Status: 503, Times: 1}) // one hiccup

	client, err := faxreport.New(s.Config())
	if err != nil {
		panic(err)
	}
	report, err := client.GetStatusReport(context.Background(), "FJJ66GHGX105ZZBIELVCN1")
	fmt.Println(report.JobID, report.RecipientStatus[0].Status, err)
	// Output: FJJ66GHGX105ZZBIELVCN1 OK <nil>
}
