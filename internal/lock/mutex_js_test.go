package lock

import (
	"slices"
	"testing"
)

// Goroutines that find the mutex held wait in line and get it in the order they came, each
// only once the holder before it has unlocked.
func TestContendedLockWaitsInLine(t *testing.T) {
	var m Mutex
	m.Lock()
	var order []int
	done := make(chan struct{})
	holders := 0
	for i := range 3 {
		waiting := make(chan struct{})
		go func() {
			close(waiting)
			m.Lock()
			holders++
			if holders != 1 {
				t.Errorf("goroutine %d holds the mutex with %d others", i, holders-1)
			}
			order = append(order, i)
			holders--
			m.Unlock()
			done <- struct{}{}
		}()
		<-waiting
	}
	// Each goroutine has run up to its Lock by now: one blocked on a channel yields to the next.
	for range 3 {
		select {
		case <-done:
			t.Fatal("a goroutine took the mutex while it was held")
		default:
		}
		yield()
	}
	m.Unlock()
	for range 3 {
		<-done
	}
	if want := []int{0, 1, 2}; !slices.Equal(order, want) {
		t.Errorf("the waiters got the mutex in the order %v, want %v", order, want)
	}
	m.Lock() // free again: taken without waiting
	m.Unlock()
}

func TestUnlockOfUnlockedMutexPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Unlock of an unlocked mutex did not panic")
		}
	}()
	var m Mutex
	m.Unlock()
}

// yield lets every other runnable goroutine run until it blocks.
func yield() {
	c := make(chan struct{})
	go close(c)
	<-c
}
