package validate

import (
	stdjson "encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/faxreport/faxreport/gen"
)

// node has pointer fields of several kinds, slices, and a pointer to its own type.
type node struct {
	Name  *string    `json:"name"`
	Count *int       `json:"count"`
	At    *time.Time `json:"at"`
	Tags  *[]string  `json:"tags"`
	List  []int      `json:"list"`
	Plain string     `json:"plain"`
	Next  *node      `json:"next"`
}

// buildLikeUnmarshal converts body, parsed as a generic document, into a T as the decoders do, and checks
// that the result is what encoding/json's Unmarshal gives: the same values, nil where it gives
// nil (null and absent pointers and slices) and an empty slice for [].
func buildLikeUnmarshal[T any](t *testing.T, body string) *T {
	t.Helper()
	var doc any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	convert := converterFor(reflect.TypeFor[T](), map[reflect.Type]*converter{})
	got := new(T)
	if err := convert(reflect.ValueOf(got).Elem(), doc); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	want := new(T)
	if err := stdjson.Unmarshal([]byte(body), want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: built %+v, json.Unmarshal %+v", body, got, want)
	}
	return got
}

// Pointer fields and slices are built as json.Unmarshal builds them: null and absent leave a
// pointer or slice nil, [] is an empty slice that is not nil, also when only some of an
// object's pointer fields are set and through a pointer to the object's own type.
func TestBuiltPointersAndSlicesAreUnmarshals(t *testing.T) {
	for _, body := range []string{
		`{}`,
		`{"name":null,"count":null,"at":null,"tags":null,"list":null,"next":null}`,
		`{"name":"a","count":null,"tags":[],"list":[]}`,
		`{"count":0,"tags":null,"list":[1,2,3],"plain":"p"}`,
		`{"name":"a","count":1,"at":"2017-08-10T13:05:09Z","tags":["x","y"],"list":[4],"next":{"name":"b","tags":[],"next":{"count":3,"next":null}}}`,
	} {
		buildLikeUnmarshal[node](t, body)
	}
	if n := buildLikeUnmarshal[node](t, `{"list":[]}`); n.List == nil {
		t.Error("[] built a nil slice")
	}
	if n := buildLikeUnmarshal[node](t, `{"tags":[]}`); n.Tags == nil || *n.Tags == nil {
		t.Error("[] built a nil pointer or a nil slice")
	}
	if n := buildLikeUnmarshal[node](t, `{"name":"a","count":null}`); n.Count != nil || n.At != nil {
		t.Errorf("null or absent pointer fields next to a set one are not nil: %+v", n)
	}
}

// The pointer fields of one object point at memory of their own: writing through one changes
// no other field, no nested object, and nothing of another node.
func TestBuiltPointersShareNoMemory(t *testing.T) {
	body := `{"name":"a","count":1,"at":"2017-08-10T13:05:09Z","tags":["x"],"next":{"name":"b","count":2,"tags":["y"]}}`
	n := buildLikeUnmarshal[node](t, body)
	other := buildLikeUnmarshal[node](t, body)
	*n.Name, *n.Count, *n.At, *n.Tags = "changed", 100, time.Time{}, append(*n.Tags, "z")
	(*n.Tags)[0] = "changed"
	*n.Next.Name, *n.Next.Count = "changed too", 200
	if *n.Name != "changed" || *n.Count != 100 || !n.At.IsZero() || !reflect.DeepEqual(*n.Tags, []string{"changed", "z"}) ||
		*n.Next.Name != "changed too" || *n.Next.Count != 200 || !reflect.DeepEqual(*n.Next.Tags, []string{"y"}) {
		t.Fatalf("writes through the pointers of one node overlap: %+v, next %+v", n, n.Next)
	}
	want := new(node)
	if err := stdjson.Unmarshal([]byte(body), want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(other, want) {
		t.Fatalf("another node built from the same document changed: %+v", other)
	}
}

// A report's pointer fields (recipients' sentTs, sentToNumber, remoteCsid and properties, the
// reference and its fields) hold their values while later reports are decoded and while
// another report's fields are written.
func TestDecodedReportPointersSurviveLaterDecodes(t *testing.T) {
	d, err := NewDecoder[gen.StatusReport]("StatusReport")
	if err != nil {
		t.Fatal(err)
	}
	body := bigReport(2)
	want := new(gen.StatusReport)
	if err := stdjson.Unmarshal(body, want); err != nil {
		t.Fatal(err)
	}
	first, err := d.Decode("application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, want) {
		t.Fatalf("decoded %+v, json.Unmarshal %+v", first, want)
	}
	for range 3 {
		next, err := d.Decode("application/json", body)
		if err != nil {
			t.Fatal(err)
		}
		for i := range next.RecipientStatus {
			r := &next.RecipientStatus[i]
			*r.SentTS, *r.SentToNumber, *r.RemoteCsid = time.Time{}, "changed", "changed"
			(*r.Properties)[0].Value = "changed"
		}
		*next.Reference.BillingCode, *next.Reference.BillingInfo, *next.Reference.CustomerDefinedID = "changed", "changed", "changed"
	}
	if !reflect.DeepEqual(first, want) {
		t.Fatalf("after later decodes, the first report is %+v", first)
	}
}

// A slice is built into an array of its own, also when the destination already held a slice
// with room for the items.
func TestBuiltSliceHasAnArrayOfItsOwn(t *testing.T) {
	var doc any
	if err := json.Unmarshal([]byte(`{"list":[1,2]}`), &doc); err != nil {
		t.Fatal(err)
	}
	old := make([]int, 0, 8)
	n := node{List: old}
	if err := converterFor(reflect.TypeFor[node](), map[reflect.Type]*converter{})(reflect.ValueOf(&n).Elem(), doc); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(n.List, []int{1, 2}) || !reflect.DeepEqual(old[:2], []int{0, 0}) {
		t.Fatalf("built %v into the array of %v", n.List, old[:2])
	}
}

// A decoder's build refuses a document that does not fit the model, and returns no value with
// the error.
func TestBuildOfADocumentThatDoesNotFit(t *testing.T) {
	d, err := NewDecoder[gen.StatusReport]("StatusReport")
	if err != nil {
		t.Fatal(err)
	}
	v, err := d.build(map[string]any{"jobId": "FJ", "pages": "one"}, nil)
	if err == nil || v != nil || !strings.Contains(err.Error(), "pages") {
		t.Fatalf("got %+v, %v; want no report and an error naming pages", v, err)
	}
}
