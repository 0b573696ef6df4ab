package faxtest_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

func TestAuth(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	dc := s.Put(report(exampleJob))
	for _, tc := range []struct {
		name   string
		custNr string
		user   string
		auth   bool
		want   int
	}{
		{"right", s.CustomerNumber, s.Username, true, 200},
		{"no Authorization header", s.CustomerNumber, s.Username, false, 400},
		{"other customer", "999", s.Username, true, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if status, _, body := get(t, s, dc, tc.custNr, exampleJob, tc.auth); status != tc.want {
				t.Fatalf("status %d %s, want %d", status, body, tc.want)
			}
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		cfg := s.Config()
		cfg.Password = "wrong"
		c, _ := faxreport.New(cfg)
		_, err := c.GetStatusReport(context.Background(), exampleJob)
		if !errors.Is(err, faxreport.ErrUnauthorized) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestNotFoundAndHome(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 3})
	home := s.Put(report(exampleJob))
	for _, dc := range s.DataCenters() {
		want := 404
		if dc == home {
			want = 200
		}
		if status, _, _ := get(t, s, dc, s.CustomerNumber, exampleJob, true); status != want {
			t.Errorf("%s: status %d, want %d", dc.URL(), status, want)
		}
	}
	if s.Home(exampleJob) != home || !home.Has(exampleJob) {
		t.Fatal("Home is not where Put stored the job")
	}
	if status, _, _ := get(t, s, home, s.CustomerNumber, "FJUNKNOWN", true); status != 404 {
		t.Fatalf("unknown job: %d", status)
	}
}

func TestSeeding(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	c, err := faxreport.New(s.Config())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range api.Reports() {
		want := api.Example(name)
		id := jobID(t, want)
		if _, err := c.GetStatusReport(context.Background(), id); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		_, _, body := get(t, s, s.Home(id), s.CustomerNumber, id, true)
		if !bytes.Equal(body, want) {
			t.Errorf("%s served as %s, not byte for byte", name, body)
		}
	}
	// A chosen data center.
	s.DataCenter(0).Put(report("FJCHOSEN"))
	if status, _, _ := get(t, s, s.DataCenter(0), s.CustomerNumber, "FJCHOSEN", true); status != 200 {
		t.Fatal("report not in the chosen data center")
	}
}

func TestPendingThenFinal(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	dc := s.PutPending(report(exampleJob), faxtest.Pending{NotFoundReads: 1, Reads: 2})
	var statuses []string
	for range 4 {
		status, _, body := get(t, s, dc, s.CustomerNumber, exampleJob, true)
		switch {
		case status == 404:
			statuses = append(statuses, "404")
		case bytes.Contains(body, []byte(`"PENDING"`)):
			statuses = append(statuses, "PENDING")
		default:
			statuses = append(statuses, "final")
		}
	}
	if got := strings.Join(statuses, " "); got != "404 PENDING PENDING final" {
		t.Fatalf("reads: %s", got)
	}

	s.PutPending(report("FJTIMED"), faxtest.Pending{For: time.Hour})
	if _, _, body := get(t, s, s.Home("FJTIMED"), s.CustomerNumber, "FJTIMED", true); !bytes.Contains(body, []byte("PENDING")) {
		t.Fatalf("pending for an hour, served %s", body)
	}
}

func jobID(t *testing.T, body []byte) string {
	t.Helper()
	i := bytes.Index(body, []byte(`"jobId": "`))
	if i < 0 {
		t.Fatalf("no jobId in %s", body)
	}
	rest := body[i+len(`"jobId": "`):]
	return string(rest[:bytes.IndexByte(rest, '"')])
}

func TestDeleteAnswersMatchTheSpec(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	dc := s.Put(report(exampleJob))
	for _, want := range []string{`"deleted":true`, `"reason":"NOT_FOUND"`} {
		if status, _, body := send(t, s, dc, http.MethodDelete, s.CustomerNumber, exampleJob, true); status != 200 || !bytes.Contains(body, []byte(want)) {
			t.Fatalf("%d %s, want %s", status, body, want)
		}
	}
	if status, _, _ := get(t, s, dc, s.CustomerNumber, exampleJob, true); status != 404 {
		t.Fatalf("GET after DELETE: %d", status)
	}
}
