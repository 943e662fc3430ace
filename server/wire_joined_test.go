package server

import (
	"context"
	"errors"
	"io"
	"testing"
)

// heldWire is a socket whose every send waits for the test to let it through.
type heldWire struct {
	sending chan sent  // a send, as it starts
	release chan error // what the send returns
	closed  chan bool  // true: Close, false: Drop
}

type sent struct {
	message string
	binary  bool
}

func newHeldWire() *heldWire {
	return &heldWire{sending: make(chan sent), release: make(chan error), closed: make(chan bool, 1)}
}

func (h *heldWire) Read(context.Context) ([]byte, error) { return nil, io.EOF }
func (h *heldWire) Write(_ context.Context, frame []byte, binary bool) error {
	h.sending <- sent{string(frame), binary}
	return <-h.release
}
func (h *heldWire) Close() error            { h.closed <- true; return nil }
func (h *heldWire) Drop() error             { h.closed <- false; return nil }
func (h *heldWire) inherentKeepAlive() bool { return false }

// sendingA is a joined wire on a held socket, with its first frame, "a", on its way.
func sendingA(t *testing.T) (*heldWire, *joinedWire) {
	h := newHeldWire()
	j := newJoinedWire(h)
	_ = j.Write(context.Background(), []byte("a"), false)
	expectSent(t, h, sent{"a", false})
	return h, j
}

func expectSent(t *testing.T, h *heldWire, want sent) {
	t.Helper()
	if got := <-h.sending; got != want {
		t.Fatalf("sent %+v, want %+v", got, want)
	}
}

func TestJoinedWireJoinsWhatWaitsForTheSocket(t *testing.T) {
	h, j := sendingA(t)
	ctx := context.Background()
	// While "a" is on its way, the next frames queue, and leave as one message.
	_ = j.Write(ctx, []byte("b\x1e"), false)
	_ = j.Write(ctx, []byte("c\x1e"), false)
	// A binary frame waits for the text before it to go out.
	queued := make(chan error)
	go func() { queued <- j.Write(ctx, []byte{1, 2}, true) }()
	h.release <- nil
	expectSent(t, h, sent{"b\x1ec\x1e", false})
	h.release <- nil
	if err := <-queued; err != nil {
		t.Fatal(err)
	}
	expectSent(t, h, sent{"\x01\x02", true})
	// Close sends what is queued first.
	_ = j.Write(ctx, []byte{3}, true)
	closing := make(chan error)
	go func() { closing <- j.Close() }()
	h.release <- nil
	expectSent(t, h, sent{"\x03", true})
	select {
	case <-h.closed:
		t.Fatal("closed before the queue was sent")
	default:
	}
	h.release <- nil
	if clean := <-h.closed; !clean {
		t.Fatal("dropped, want closed")
	}
	if err := <-closing; err != nil {
		t.Fatal(err)
	}
	if err := j.Write(ctx, []byte("d"), false); err == nil {
		t.Fatal("a write after Close succeeded")
	}
}

func TestJoinedWireFailsTheWritesAfterAFailedSend(t *testing.T) {
	h, j := sendingA(t)
	ctx := context.Background()
	// A queue at its limit makes the next write wait for room: here, for the failure.
	_ = j.Write(ctx, make([]byte, joinLimit), false)
	gone := errors.New("socket gone")
	go func() { h.release <- gone }()
	if err := j.Write(ctx, []byte("c"), false); !errors.Is(err, gone) {
		t.Fatalf("write after the failed send: %v, want %v", err, gone)
	}
	if err := j.Drop(); err != nil {
		t.Fatal(err)
	}
	if clean := <-h.closed; clean {
		t.Fatal("closed, want dropped")
	}
}

func TestJoinedWireDropDropsTheQueue(t *testing.T) {
	h, j := sendingA(t)
	ctx := context.Background()
	_ = j.Write(ctx, []byte("b"), false)
	_ = j.Drop()
	if clean := <-h.closed; clean {
		t.Fatal("closed, want dropped")
	}
	h.release <- errors.New("dropped")
	if err := j.Write(ctx, []byte("c"), false); err == nil {
		t.Fatal("a write after Drop succeeded")
	}
}

func TestJoinedWireSendsARawFrameAlone(t *testing.T) {
	h, j := sendingA(t)
	ctx := context.Background()
	_ = j.Write(ctx, []byte("b"), false)
	raw := make(chan error)
	go func() { raw <- alone(j).Write(ctx, nil, false) }()
	h.release <- nil
	expectSent(t, h, sent{"b", false})
	h.release <- nil
	if err := <-raw; err != nil {
		t.Fatal(err)
	}
	// The empty frame goes out by itself, and what follows it waits.
	expectSent(t, h, sent{"", false})
	after := make(chan error)
	go func() { after <- j.Write(ctx, []byte("c"), false) }()
	h.release <- nil
	if err := <-after; err != nil {
		t.Fatal(err)
	}
	expectSent(t, h, sent{"c", false})
	h.release <- nil
}
