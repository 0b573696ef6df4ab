package faxreport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/faxreport/faxreport/gen"
)

// Client.send builds every URL from a prefix made once per data center by the generated builder;
// what reaches the server must be exactly the request of the generated client, for any job ID
// that checkJobID lets through and any endpoint path and customer number, and for the reports
// resource as a whole.
func TestReportURLIsTheGeneratedOne(t *testing.T) {
	type seen struct{ uri, auth, agent string }
	got := make(chan seen, 1)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- seen{r.RequestURI, r.Header.Get("Authorization"), r.Header.Get("User-Agent")}
		w.WriteHeader(http.StatusNotFound)
	}))
	defer s.Close()
	// The generated client, with the credentials and user agent set as net/http sets them.
	headers := func(_ context.Context, req *http.Request) error {
		req.SetBasicAuth("u", "p")
		req.Header.Set("User-Agent", "ua")
		return nil
	}
	ids := []string{"FJJ66GHGX105ZZBIELVCN1", "a b", "ä€😀", "100%", "%41", "a/b", "a/../b", "?q=1#f", ";x=y",
		"+&=$,", "~_-.", "@:", "...", ".a", "a.", "\\", "[]{}|^`\"'<>", "\t"}
	for _, path := range []string{"/rest/v1", "/rest/v1/", "/a%20b/c;d/rest/v1", "/ä/x/rest/v1"} {
		for _, custNr := range []string{"12345", "a b", "ä/%"} {
			c, err := New(Config{CustomerNumber: custNr, Username: "u", Password: "p", Endpoints: []string{s.URL + path}, UserAgent: "ua"})
			if err != nil {
				t.Fatal(err)
			}
			dc := c.dataCenters[0]
			for _, id := range ids {
				if checkJobID(id) != nil {
					continue
				}
				ask := func(send func(ctx context.Context, id string) (*http.Response, error)) seen {
					resp, err := send(context.Background(), id)
					if err != nil {
						t.Fatalf("endpoint %q, customer %q, job %q: %v", path, custNr, id, err)
					}
					resp.Body.Close()
					return <-got
				}
				api, err := gen.NewClient(dc.url+"/", gen.WithHTTPClient(c.http))
				if err != nil {
					t.Fatal(err)
				}
				generated := ask(func(ctx context.Context, id string) (*http.Response, error) {
					return api.GetStatusReport(ctx, c.customerNumber, id, headers)
				})
				built := ask(func(ctx context.Context, id string) (*http.Response, error) {
					return c.send(ctx, dc, http.MethodGet, id, nil)
				})
				if built != generated {
					t.Errorf("endpoint %q, customer %q, job %q: sent %+v, the generated client %+v", path, custNr, id, built, generated)
				}
				generated = ask(func(ctx context.Context, _ string) (*http.Response, error) {
					return api.GetAllStatusReports(ctx, c.customerNumber, headers)
				})
				built = ask(func(ctx context.Context, _ string) (*http.Response, error) {
					return c.send(ctx, dc, http.MethodGet, "", nil)
				})
				if built != generated {
					t.Errorf("endpoint %q, customer %q: listing sent %+v, the generated client %+v", path, custNr, built, generated)
				}
			}
		}
	}
}
