package faxreport_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

func TestPushCredentials(t *testing.T) {
	for name, auth := range map[string][]faxtest.PushOption{
		"missing":          nil,
		"wrong password":   {faxtest.PushBasicAuth(pushUser, "wrong")},
		"wrong user":       {faxtest.PushBasicAuth("someone", pushPassword)},
		"empty":            {faxtest.PushBasicAuth("", "")},
		"password as user": {faxtest.PushBasicAuth(pushPassword, pushUser)},
	} {
		t.Run(name, func(t *testing.T) {
			env := newPushEnv(t, nil)
			env.fake.LoadExamples()
			resp, err := env.fake.Push(env.url, testJobID, auth...)
			if err != nil {
				t.Fatal(err)
			}
			wantStatus(t, resp, http.StatusUnauthorized)
			if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic ") {
				t.Errorf("WWW-Authenticate %q", resp.Header.Get("WWW-Authenticate"))
			}
			if n := len(env.fake.Requests()); n != 0 || len(env.reports()) != 0 {
				t.Fatalf("%d requests to the API and %d reports handled after a 401", n, len(env.reports()))
			}
		})
	}
	t.Run("unauthenticated when allowed", func(t *testing.T) {
		env := newPushEnv(t, func(c *faxreport.PushConfig) {
			*c = faxreport.PushConfig{AllowUnauthenticated: true}
		})
		env.fake.LoadExamples()
		resp, err := env.fake.Push(env.url, testJobID)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, resp, http.StatusNoContent)
	})
}
