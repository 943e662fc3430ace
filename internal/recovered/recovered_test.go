package recovered

import (
	"errors"
	"testing"
)

func TestError(t *testing.T) {
	cause := errors.New("cause")
	if got := Error(cause); got != cause {
		t.Errorf("an error: got %v, want the error itself", got)
	}
	if got := Error("boom"); got.Error() != "boom" {
		t.Errorf("a string: got %q", got)
	}
	var index []int
	func() {
		defer func() {
			if got := Error(recover()); got.Error() != "runtime error: index out of range [1] with length 0" {
				t.Errorf("a runtime error: got %q", got)
			}
		}()
		_ = index[1]
	}()
	if got := Error(42); got.Error() != "panic with a value that is neither an error nor a string" {
		t.Errorf("another value: got %q", got)
	}
}
