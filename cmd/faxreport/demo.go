package main

import (
	"bytes"
	"encoding/json"
	"time"

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
	return &demo{Server: s, done: time.AfterFunc(demoPendingFor, func() { s.PutJSON(final) })}
}

// Close stops the fake.
func (d *demo) Close() {
	d.done.Stop()
	d.Server.Close()
}

// demoPending and demoDelivered are the pending example's pending recipient, compact, before
// and after its delivery, with a sent time, duration and the number dialled, as a delivered
// recipient has.
const (
	demoPending   = `"number":"+1 212 5550100","properties":[{"key":"name","value":"Jane Doe"}],"status":"PENDING","reason":"In progress","durationInSecs":0}`
	demoDelivered = `"number":"+1 212 5550100","properties":[{"key":"name","value":"Jane Doe"}],"status":"OK","reason":"OK","sentTs":"2024-03-01T09:31:05Z","durationInSecs":47,"sentToNumber":"0012125550100"}`
)

// demoFinal is the pending example once its pending recipient has been delivered. It is the
// example's own bytes (compacted) with that recipient edited in place, so that the demo serves
// it in the API's shape, its field order and nulls, as it serves every other report (Put would
// re-encode it).
func demoFinal() []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, api.Example(api.ReportPending)); err != nil {
		panic("the pending example is not JSON: " + err.Error()) // embedded and tested
	}
	if bytes.Count(b.Bytes(), []byte(demoPending)) != 1 {
		panic("the pending example has changed: update demoPending and demoDelivered")
	}
	return bytes.Replace(b.Bytes(), []byte(demoPending), []byte(demoDelivered), 1)
}
