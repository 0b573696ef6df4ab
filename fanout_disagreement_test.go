package faxreport_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
)

// warnings is a slog handler that hands each warning's text to a channel.
type warnings chan string

func (w warnings) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (w warnings) WithAttrs([]slog.Attr) slog.Handler           { return w }
func (w warnings) WithGroup(string) slog.Handler                { return w }
func (w warnings) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		b.WriteString(" " + a.String())
		return true
	})
	w <- b.String()
	return nil
}

// A job lives in one data center: two that both answer it, differently, break an invariant. The
// first answer is returned, and the difference is logged at warn level with both data centers.
// The slower answer is compared only if its request was sent before the first answer came and
// if it comes within the straggler grace: the data centers answer only once both requests are
// in, and the grace is made long, so that a loaded machine cannot make it miss.
func TestDataCentersAnsweringDifferentlyIsLogged(t *testing.T) {
	var arrived atomic.Int32
	bothIn := make(chan struct{})
	gate := func(next http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if arrived.Add(1) == 2 {
				close(bothIn)
			}
			select {
			case <-bothIn:
				next(w, r)
			case <-r.Context().Done():
			}
		}
	}
	ok := newDataCenter(t, gate(serveReport()))
	busy := newDataCenter(t, gate(serveJSON(200, newReport(testJobID).with(faxreport.StatusBusy, "recipientStatus", 0, "status").json())))
	warned := make(warnings, 10)
	c := newClientWith(t, func(cfg *faxreport.Config) { cfg.Logger = slog.New(warned) }, ok, busy)
	faxreport.SetStragglerGrace(c, time.Minute)
	r, err := c.GetStatusReport(testContext(t), testJobID)
	if err != nil {
		t.Fatal(err)
	}
	if s := r.RecipientStatus[0].Status; s != faxreport.StatusOK && s != faxreport.StatusBusy {
		t.Fatalf("status %q is neither data center's", s)
	}
	select {
	case w := <-warned:
		if !strings.Contains(w, ok.BaseURL()) || !strings.Contains(w, busy.BaseURL()) || !strings.Contains(w, testJobID) {
			t.Errorf("the warning does not name the job and both data centers: %s", w)
		}
		used := ok.BaseURL()
		if r.RecipientStatus[0].Status == faxreport.StatusBusy {
			used = busy.BaseURL()
		}
		if !strings.Contains(w, "used="+used) {
			t.Errorf("the warning does not say the returned answer (from %s) was used: %s", used, w)
		}
		assertNoSecret(t, errors.New(w))
	case <-time.After(5 * time.Second):
		t.Fatal("no warning about two different answers")
	}
}

// The same holds for a bulk read: the first report of a job is used, the difference logged.
func TestDataCentersAnsweringDifferentlyInBulkIsLogged(t *testing.T) {
	bulkOf := func(report []byte) http.HandlerFunc {
		return serveJSON(200, append(append([]byte(`{"reports":[`), report...), "]}"...))
	}
	for _, bulk := range bulkReads {
		t.Run(bulk.name, func(t *testing.T) {
			ok := newDataCenter(t, bulkOf(api.Example(api.ReportExample)))
			busy := newDataCenter(t, bulkOf(newReport(testJobID).with(faxreport.StatusBusy, "recipientStatus", 0, "status").json()))
			warned := make(warnings, 10)
			c := newClientWith(t, func(cfg *faxreport.Config) { cfg.Logger = slog.New(warned) }, ok, busy)
			// FJMISSING, which neither returns, keeps the chunk open until both have answered.
			if r := bulk.read(c, testContext(t), []string{testJobID, "FJMISSING"}, faxreport.BatchOptions{})[0]; r.Err != nil {
				t.Fatal(r.Err)
			}
			select {
			case w := <-warned:
				if !strings.Contains(w, ok.BaseURL()) || !strings.Contains(w, busy.BaseURL()) || !strings.Contains(w, testJobID) {
					t.Errorf("the warning does not name the job and both data centers: %s", w)
				}
			default:
				t.Fatal("no warning about two different answers")
			}
		})
	}
}
