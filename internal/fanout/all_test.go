package fanout

import (
	"context"
	"errors"
	"testing"
)

func TestAllKeepsEveryCallsOutcomeInOrder(t *testing.T) {
	errOdd := errors.New("odd")
	started := make(chan struct{})
	values, errs := All(context.Background(), 4, func(_ context.Context, i int) (int, error) {
		if i == 0 {
			<-started // only returns once call 3 runs: the calls are concurrent
		}
		if i == 3 {
			close(started)
		}
		if i%2 == 1 {
			return 0, errOdd
		}
		return i * 10, nil
	})
	for i := range 4 {
		wantErr := i%2 == 1
		if (errs[i] != nil) != wantErr || !wantErr && values[i] != i*10 {
			t.Fatalf("call %d: %v, %v", i, values[i], errs[i])
		}
	}
}
