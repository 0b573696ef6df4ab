package faxreport

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/faxreport/faxreport/internal/httpbody"
)

// errInformational says that a data center's final answer was a 1xx status (a 101 Switching
// Protocols, say): net/http hands over such a connection with no deadline, so it is closed
// unread.
var errInformational = errors.New("informational status as the final answer")

// maxErrorBody bounds what is read of a response that is not a 200: enough for any error object
// the API sends; the rest is dropped with the connection.
const maxErrorBody = 64 << 10

// readBody reads and closes the body of resp: a 200's through the cap (too long is an error),
// an error status's up to maxErrorBody (the excess ignored), a 1xx's not at all.
func readBody(resp *http.Response, maxBody int64) ([]byte, error) {
	defer resp.Body.Close()
	switch {
	case resp.StatusCode < 200:
		return nil, fmt.Errorf("%w: %d %s", errInformational, resp.StatusCode, http.StatusText(resp.StatusCode))
	case resp.StatusCode == http.StatusOK:
		return httpbody.Read(resp.Body, resp.ContentLength, maxBody)
	}
	return httpbody.Read(io.LimitReader(resp.Body, maxErrorBody), min(resp.ContentLength, maxErrorBody), maxErrorBody)
}
