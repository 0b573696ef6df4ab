// Package auth adds HTTP basic authentication to outgoing requests.
package auth

import (
	"context"
	"encoding/base64"
	"net/http"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/endpoint"
)

// Basic returns a request editor that sets basic-auth credentials. It refuses, before anything is
// sent, a request whose URL would carry them over plain http to a host that is not loopback,
// unless allowInsecure is set.
func Basic(username, password string, allowInsecure bool) gen.RequestEditorFn {
	// As SetBasicAuth, once; one value slice for every request (a request's headers are never
	// changed once built, and the slice is full, so an Add copies it).
	header := []string{"Basic " + base64.StdEncoding.EncodeToString([]byte(username+":"+password))}
	return func(_ context.Context, req *http.Request) error {
		if err := endpoint.SecureEnough(req.URL, allowInsecure); err != nil {
			return err
		}
		req.Header["Authorization"] = header
		return nil
	}
}
