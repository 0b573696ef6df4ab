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
	header := "Basic " + base64.StdEncoding.EncodeToString([]byte(username+":"+password)) // as SetBasicAuth, once
	return func(_ context.Context, req *http.Request) error {
		if err := endpoint.SecureEnough(req.URL, allowInsecure); err != nil {
			return err
		}
		req.Header.Set("Authorization", header)
		return nil
	}
}
