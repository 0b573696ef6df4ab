package httpbody

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// offered records the size of each buffer Read hands to the reader.
type offered struct {
	r     io.Reader
	sizes []int
}

func (o *offered) Read(p []byte) (int, error) {
	o.sizes = append(o.sizes, len(p))
	return o.r.Read(p)
}

// A body that announces 4 MiB and sends one byte must not cost 4 MiB: the buffer grows with the
// data, not with the announcement.
func TestReadGrowsWithTheDataNotTheAnnouncement(t *testing.T) {
	o := &offered{r: io.MultiReader(strings.NewReader("x"), errReader{io.ErrUnexpectedEOF})}
	if _, err := Read(o, 4<<20, 4<<20); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want the reader's error", err)
	}
	for _, n := range o.sizes {
		if n > firstBuffer {
			t.Fatalf("offered a %d-byte buffer before the data came (sizes %v)", n, o.sizes)
		}
	}
}

// firstBuffer bounds the buffer Read may offer before any data came.
const firstBuffer = 16 << 10

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestReadBodiesOfEverySize(t *testing.T) {
	for _, n := range []int{0, 1, firstBuffer - 1, firstBuffer, firstBuffer + 1, 3 * firstBuffer, 1 << 20} {
		body := bytes.Repeat([]byte("a"), n)
		for _, size := range []int64{-1, int64(n)} {
			got, err := Read(bytes.NewReader(body), size, 1<<20)
			if err != nil || !bytes.Equal(got, body) {
				t.Fatalf("n=%d size=%d: %d bytes, %v", n, size, len(got), err)
			}
		}
	}
	if _, err := Read(bytes.NewReader(make([]byte, 101)), -1, 100); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("101 bytes with limit 100: %v", err)
	}
	if _, err := Read(bytes.NewReader(make([]byte, 100)), 101, 100); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("101 announced with limit 100: %v", err)
	}
	if got, err := Read(bytes.NewReader(make([]byte, 100)), -1, 100); err != nil || len(got) != 100 {
		t.Fatalf("100 bytes with limit 100: %d, %v", len(got), err)
	}
}
