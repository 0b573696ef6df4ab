package main

import (
	"encoding/json"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

// demoPendingFor is how long the demo's pending job goes on sending after the demo starts.
const (
	demoPendingFor  = time.Second
	demoPendingText = "a second"
)

// demo is the fake region of --demo: the examples of package api, each in its home data
// center. The pending example is served as its file says (one recipient PENDING, one already
// delivered) until, demoPendingFor after the start, its pending recipient is delivered too.
type demo struct {
	*faxtest.Server
	done *time.Timer
}

func startDemo() *demo {
	s := faxtest.NewServer(faxtest.Options{})
	s.LoadExamples()
	final := demoFinal()
	return &demo{Server: s, done: time.AfterFunc(demoPendingFor, func() { s.Put(final) })}
}

// Close stops the fake.
func (d *demo) Close() {
	d.done.Stop()
	d.Server.Close()
}

// demoFinal is the pending example once its pending recipients have been delivered, with a
// sent time, duration and the number dialled, as a delivered recipient has.
func demoFinal() *faxreport.Report {
	var r faxreport.Report
	if err := json.Unmarshal(api.Example(api.ReportPending), &r); err != nil {
		panic("the pending example is not a report: " + err.Error()) // embedded and tested
	}
	for i := range r.RecipientStatus {
		rs := &r.RecipientStatus[i]
		if rs.Status != faxreport.StatusPending {
			continue
		}
		sent := time.Date(2024, 3, 1, 9, 31, 5, 0, time.UTC)
		dialled := "00" + digits(rs.Number)
		rs.Status, rs.Reason, rs.SentTS, rs.DurationInSecs, rs.SentToNumber = faxreport.StatusOK, "OK", &sent, 47, &dialled
	}
	return &r
}

// digits keeps the digits of a phone number, as a dialled number shows them.
func digits(number string) string {
	var b []byte
	for _, c := range []byte(number) {
		if c >= '0' && c <= '9' {
			b = append(b, c)
		}
	}
	return string(b)
}
