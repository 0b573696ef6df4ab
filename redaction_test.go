package faxreport_test

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
)

// clientWithPassword is a client of one data center answering with handler, whose password
// is password.
func clientWithPassword(t *testing.T, password string, dc *dataCenter) *faxreport.Client {
	t.Helper()
	return newClientWith(t, func(cfg *faxreport.Config) { cfg.Password = password }, dc)
}

// With the password "p", a validation error names its field as it is: our words and the
// spec's are never redacted, and "p" inside a word is no echo of it.
func TestShortPasswordLeavesValidatorMessagesWhole(t *testing.T) {
	c := clientWithPassword(t, "p", newDataCenter(t, serveJSON(200, newReport(testJobID).with("1", "pages").json())))
	_, err := c.GetStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrInvalidResponse)
	if !strings.Contains(err.Error(), "field /pages: ") || strings.Contains(err.Error(), "[REDACTED]") {
		t.Fatalf("error %v: want the field /pages named whole, nothing redacted", err)
	}
}

// With the password "report", a 404 whose body has "report" as a word is withheld whole: no
// mark inside its message shows where the password was. One with "reports" is kept.
func TestPasswordAsAWordWithholdsTheWholeBody(t *testing.T) {
	for _, tc := range []struct{ body, message, excerpt string }{
		{`{"code":404,"message":"no report for job FJ1"}`, "", `"[REDACTED]"`},
		{"<p>no report for job FJ1</p>", "", `"[REDACTED]"`},
		{`{"code":404,"message":"no reports for job FJ1"}`, "no reports for job FJ1", ""},
	} {
		c := clientWithPassword(t, "report", newDataCenter(t, serveJSON(404, []byte(tc.body))))
		_, err := c.GetStatusReport(testContext(t), "FJ1")
		mustFail(t, err, faxreport.ErrNotFound)
		var apiErr *faxreport.APIError
		if !errors.As(err, &apiErr) || apiErr.Message != tc.message || apiErr.Excerpt != tc.excerpt {
			t.Fatalf("%s: error %v, want the message %q and the excerpt %q", tc.body, err, tc.message, tc.excerpt)
		}
	}
}

// A long random password that a server echoes, alone or glued to other characters, in an
// error message, an excerpt or a job ID, is never shown: the text that holds it is withheld
// whole.
func TestLongPasswordIsWithheldWherever(t *testing.T) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	pass := base64.StdEncoding.EncodeToString(b)
	for name, tc := range map[string]struct {
		status int
		body   string
	}{
		"401 message":     {401, `{"code":401,"message":"bad password ` + pass + `"}`},
		"502 page":        {502, `<html>bad gateway for x` + pass + `x</html>`},
		"invalid 200":     {200, `{"jobId":"` + testJobID + `","note":"` + pass + `"}`},
		"answer about ID": {200, string(newReport("FJ" + pass).json())},
	} {
		t.Run(name, func(t *testing.T) {
			c := clientWithPassword(t, pass, newDataCenter(t, serveJSON(tc.status, []byte(tc.body))))
			_, err := c.GetStatusReport(testContext(t), testJobID)
			if err == nil {
				t.Fatal("no error")
			}
			var apiErr *faxreport.APIError
			fields := ""
			if errors.As(err, &apiErr) {
				fields = apiErr.Message + apiErr.Excerpt
			}
			for i := 0; i+6 <= len(pass); i++ {
				if part := pass[i : i+6]; strings.Contains(err.Error()+fields, part) {
					t.Fatalf("%q of the password shows: %v", part, err)
				}
			}
			if !strings.Contains(err.Error(), "[REDACTED]") {
				t.Fatalf("nothing withheld: %v", err)
			}
		})
	}
}
