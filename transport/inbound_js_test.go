//go:build js && wasm

package transport

import (
	"context"
	"errors"
	"testing"
)

// The frames that receive takes and those the reader reads keep the order they came in.
func TestInboundReceiveKeepsOrder(t *testing.T) {
	// Everything here is queued or received before it is read: a read never waits.
	done, cancel := context.WithCancel(context.Background())
	cancel()
	q := newInbound()
	var got []string
	q.push([]byte("queued before"), false)
	q.receiveWith(func(frame []byte, _ bool) error {
		got = append(got, "received "+string(frame))
		if string(frame) == "2" {
			q.push([]byte("pushed while receiving"), false)
		}
		return nil
	})
	read := func() {
		t.Helper()
		frame, err := q.next(done)
		if err != nil {
			t.Fatalf("after %q: %v", got, err)
		}
		got = append(got, "read "+string(frame))
	}
	q.push([]byte("1"), false) // one is queued: this one waits behind it
	read()                     // "queued before"
	read()                     // "1"; the reader has it in hand
	q.push([]byte("in hand"), false)
	read()                                                         // "in hand"
	if _, err := q.next(done); !errors.Is(err, context.Canceled) { // the reader is done with it
		t.Fatalf("nothing left to read, got %v", err)
	}
	q.push([]byte("2"), false)
	read() // what receive's own push queued
	want := []string{"read queued before", "read 1", "read in hand", "received 2", "read pushed while receiving"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

// An error from receive reaches the reader, and the frames after it are queued for it.
func TestInboundReceiveError(t *testing.T) {
	q := newInbound()
	bad := errors.New("bad frame")
	calls := 0
	q.receiveWith(func([]byte, bool) error { calls++; return bad })
	q.push([]byte("x"), false)
	q.push([]byte("after"), false)
	_, err := q.next(context.Background())
	var failed *ReceiveError
	if !errors.As(err, &failed) || failed.Err != bad {
		t.Fatalf("got %v, want the receive error", err)
	}
	if frame, err := q.next(context.Background()); err != nil || string(frame) != "after" || calls != 1 {
		t.Fatalf("got %q, %v after %d receive calls", frame, err, calls)
	}
}
