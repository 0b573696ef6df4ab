package faxreport_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
)

// newPushReceiver mounts a push handler of client with cfg (and the test credentials) on an
// httptest server, and returns its URL.
func newPushReceiver(t *testing.T, client *faxreport.Client, cfg faxreport.PushConfig) string {
	t.Helper()
	cfg.Username, cfg.Password = pushUser, pushPassword
	if cfg.Handle == nil {
		cfg.Handle = func(context.Context, *faxreport.Report) error { return nil }
	}
	h, err := faxreport.NewPushHandler(client, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/push"
}

// sendPush posts a JSON push naming jobIDs, with the right credentials, and returns its status.
func sendPush(ctx context.Context, receiver string, jobIDs ...string) (int, error) {
	items := make([]string, len(jobIDs))
	for i, id := range jobIDs {
		items[i] = fmt.Sprintf(`{"jobId":%q}`, id)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, receiver, strings.NewReader(`{"reports":[`+strings.Join(items, ",")+`]}`))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(pushUser, pushPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// heldDataCenter is a data center that tells on asked the job of each GET it receives, answers
// it with its report once release is closed (or at once when the job is in quick), and tells
// on gone the job of each GET whose client hung up first.
type heldDataCenter struct {
	*dataCenter
	asked, gone chan string
	release     chan struct{}
	releaseOnce sync.Once
	quick       map[string]bool
}

// releaseAll lets every GET held, and every later one, be answered.
func (dc *heldDataCenter) releaseAll() { dc.releaseOnce.Do(func() { close(dc.release) }) }

// heldReceiver is a push receiver with cfg in front of a new held data center (quick: the jobs
// it answers at once), whose OnPush sends each outcome on the channel returned (room for n).
func heldReceiver(t *testing.T, cfg faxreport.PushConfig, n int, quick ...string) (*heldDataCenter, string, chan faxreport.PushOutcome) {
	t.Helper()
	dc := newHeldDataCenter(t, quick...)
	outcomes := make(chan faxreport.PushOutcome, n)
	cfg.OnPush = func(out faxreport.PushOutcome) { outcomes <- out }
	receiver := newPushReceiver(t, newClient(t, dc.dataCenter), cfg)
	t.Cleanup(dc.releaseAll) // before the receiver closes
	return dc, receiver, outcomes
}

func newHeldDataCenter(t *testing.T, quick ...string) *heldDataCenter {
	dc := &heldDataCenter{asked: make(chan string, 100), gone: make(chan string, 100), release: make(chan struct{}), quick: map[string]bool{}}
	for _, id := range quick {
		dc.quick[id] = true
	}
	dc.dataCenter = newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		jobID := path.Base(r.URL.Path)
		dc.asked <- jobID
		if !dc.quick[jobID] {
			select {
			case <-dc.release:
			case <-r.Context().Done():
				dc.gone <- jobID
				return
			}
		}
		serveJSON(http.StatusOK, newReport(jobID).json())(w, r)
	})
	t.Cleanup(dc.releaseAll) // before the server closes
	return dc
}

// An unauthenticated push, or one with the wrong method, is answered at once with Connection:
// close, however slowly its sender dribbles the body it announced.
func TestPushRefusedWithoutReadingADribbledBody(t *testing.T) {
	for name, tc := range map[string]struct {
		method, auth string
		want         int
	}{
		"no credentials":  {http.MethodPost, "", http.StatusUnauthorized},
		"wrong password":  {http.MethodPost, "Authorization: Basic cHVzaC11c2VyOndyb25n\r\n", http.StatusUnauthorized},
		"method not POST": {http.MethodPut, "", http.StatusMethodNotAllowed},
	} {
		t.Run(name, func(t *testing.T) {
			env := newPushEnv(t, nil)
			u, err := url.Parse(env.url)
			if err != nil {
				t.Fatal(err)
			}
			conn, err := net.Dial("tcp", u.Host)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second)) // a held connection fails the test
			// 100 kB announced, 14 bytes sent, the rest never.
			fmt.Fprintf(conn, "%s /push HTTP/1.1\r\nHost: %s\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n%s\r\n<faxJobReport>", tc.method, u.Host, tc.auth)
			answer := bufio.NewReader(conn)
			resp, err := http.ReadResponse(answer, nil)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want || !resp.Close {
				t.Fatalf("answered %d, Connection: close %t; want %d and close", resp.StatusCode, resp.Close, tc.want)
			}
			if _, err := answer.ReadByte(); !errors.Is(err, io.EOF) {
				t.Fatalf("the connection is held after the answer: %v", err)
			}
			if n := len(env.fake.Requests()); n != 0 {
				t.Fatalf("%d requests to the API", n)
			}
		})
	}
}

// When the sender hangs up, its push's fetch stops; a report already fetched is still handled,
// with a context the hang-up does not cancel.
func TestPushSenderHangingUp(t *testing.T) {
	t.Run("the fetch stops", func(t *testing.T) {
		dc, receiver, outcomes := heldReceiver(t, faxreport.PushConfig{Timeout: 30 * time.Second}, 1)
		ctx, hangUp := context.WithCancel(testContext(t))
		go sendPush(ctx, receiver, "FJHANGUP")
		received(t, dc.asked, "fetch")
		hangUp()
		if jobID := received(t, dc.gone, "stop of the fetch"); jobID != "FJHANGUP" {
			t.Fatalf("the fetch of %s stopped", jobID)
		}
		if out := received(t, outcomes, "outcome"); !errors.Is(out.Err, context.Canceled) {
			t.Fatalf("outcome %+v, want context.Canceled", out)
		}
	})
	t.Run("a fetched report is handled", func(t *testing.T) {
		dc := newHeldDataCenter(t, "FJHANGUP")
		entered, handleCtxErr := make(chan struct{}), make(chan error, 1)
		release := make(chan struct{})
		var releaseOnce sync.Once
		releaseHandle := func() { releaseOnce.Do(func() { close(release) }) }
		outcomes := make(chan faxreport.PushOutcome, 1)
		receiver := newPushReceiver(t, newClient(t, dc.dataCenter), faxreport.PushConfig{
			Timeout: 30 * time.Second,
			OnPush:  func(out faxreport.PushOutcome) { outcomes <- out },
			Handle: func(ctx context.Context, _ *faxreport.Report) error {
				close(entered)
				<-release
				handleCtxErr <- ctx.Err()
				return nil
			},
		})
		t.Cleanup(releaseHandle) // before the receiver closes
		ctx, hangUp := context.WithCancel(testContext(t))
		go sendPush(ctx, receiver, "FJHANGUP")
		received(t, entered, "Handle call")
		hangUp()
		if out := received(t, outcomes, "outcome"); !errors.Is(out.Err, context.Canceled) || errors.Is(out.Err, faxreport.ErrHandleFailed) {
			t.Fatalf("outcome %+v, want context.Canceled, not ErrHandleFailed", out)
		}
		releaseHandle() // the sender is gone, and the push reported
		if err := received(t, handleCtxErr, "end of Handle"); err != nil {
			t.Fatalf("Handle's context ended with the sender: %v", err)
		}
	})
}

// A fetch shared by two pushes of one job goes on for the second when the first sender hangs up.
func TestPushSharedFetchOutlivesOneSender(t *testing.T) {
	joined := make(chan string, 2)
	defer faxreport.SetFlightJoined(func(jobID string) { joined <- jobID })()
	dc, receiver, outcomes := heldReceiver(t, faxreport.PushConfig{Timeout: 30 * time.Second}, 2)
	ctx, hangUp := context.WithCancel(testContext(t))
	go sendPush(ctx, receiver, "FJSHARED")
	received(t, joined, "first push joining")
	second := make(chan int, 1)
	go func() {
		status, err := sendPush(testContext(t), receiver, "FJSHARED")
		if err != nil {
			t.Error(err)
		}
		second <- status
	}()
	received(t, joined, "second push joining")
	hangUp()
	if out := received(t, outcomes, "outcome of the first push"); !errors.Is(out.Err, context.Canceled) {
		t.Fatalf("outcome %+v, want context.Canceled", out)
	}
	dc.releaseAll()
	if status := received(t, second, "answer to the second push"); status != http.StatusNoContent {
		t.Fatalf("the second push was answered %d", status)
	}
	if asked, gone := len(dc.asked), len(dc.gone); asked != 1 || gone != 0 {
		t.Fatalf("%d fetches, %d stopped; want the one shared fetch, not stopped", asked, gone)
	}
}

// MaxFetches bounds the fetches in flight across all pushes: a push over it is answered 503 with
// Retry-After at once, without a fetch; a push of a job already in flight shares its fetch.
func TestPushOverMaxFetchesIsAnsweredRetryLater(t *testing.T) {
	dc, receiver, outcomes := heldReceiver(t, faxreport.PushConfig{MaxFetches: 1}, 3, "FJSECOND")
	ctx := testContext(t)
	first := make(chan int, 1)
	go func() {
		status, err := sendPush(ctx, receiver, "FJFIRST")
		if err != nil {
			t.Error(err)
		}
		first <- status
	}()
	received(t, dc.asked, "first fetch")

	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, receiver, strings.NewReader(`{"jobId":"FJSECOND"}`))
	req.SetBasicAuth(pushUser, pushPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	wantStatus(t, resp, http.StatusServiceUnavailable)
	if out := received(t, outcomes, "outcome"); !errors.Is(out.Err, faxreport.ErrPushOverloaded) {
		t.Fatalf("outcome %+v, want ErrPushOverloaded", out)
	}

	dc.releaseAll()
	if status := received(t, first, "answer to the first push"); status != http.StatusNoContent {
		t.Fatalf("the first push was answered %d", status)
	}
	received(t, outcomes, "outcome")
	if status, err := sendPush(ctx, receiver, "FJSECOND"); err != nil || status != http.StatusNoContent {
		t.Fatalf("the second push, once the first is done: %d, %v", status, err)
	}
	if n := len(dc.asked); n != 1 { // FJSECOND's fetch, after the first's
		t.Fatalf("%d fetches besides the first, want 1", n)
	}
}

// The jobs of one push share its Timeout: five jobs whose data center never answers take one
// Timeout, not five.
func TestPushOfManyJobsTakesAtMostTimeout(t *testing.T) {
	const timeout = time.Second
	dc := newHeldDataCenter(t)
	receiver := newPushReceiver(t, newClient(t, dc.dataCenter), faxreport.PushConfig{Timeout: timeout})
	t.Cleanup(dc.releaseAll) // before the receiver closes
	start := time.Now()
	status, err := sendPush(testContext(t), receiver, "FJ1", "FJ2", "FJ3", "FJ4", "FJ5")
	if err != nil || status != http.StatusServiceUnavailable {
		t.Fatalf("answered %d, %v; want 503", status, err)
	}
	if elapsed := time.Since(start); elapsed > 3*timeout {
		t.Fatalf("a push of 5 jobs took %v with a Timeout of %v", elapsed, timeout)
	}
}
