package protocol

import (
	"sync/atomic"

	"github.com/signalr-wasm/signalr-wasm/internal/lock"
)

// Link is one side's sending half of a connection, client or server: the current frame
// writer (a transport connection), the write lock every frame goes out under, and, once
// stateful reconnect is in use, its SequenceBuffer. Keeping the three together is what
// makes the replay exact: a send is either in the replay or after it, never both and never
// before it (signalr.js's MessageBuffer keeps the same together).
type Link[W any] struct {
	write func(w W, frame []byte) (posted <-chan error, err error)

	mu lock.Mutex // the write lock, held while a frame is written
	w  W

	// buf takes no lock, so that a link's owner may set it under a lock of its own, and
	// every message sent or received, which reads it, costs no lock more.
	buf atomic.Pointer[SequenceBuffer]
}

// NewLink makes a link that writes a frame to a writer with write. A writer that is done
// with a frame only later (an HTTP transport's POST) returns where its outcome arrives,
// posted; one that is done when write returns, nil.
func NewLink[W any](write func(w W, frame []byte) (posted <-chan error, err error)) *Link[W] {
	return &Link[W]{write: write}
}

// Attach makes w the writer: a new transport, not a resumed one (Swap).
func (l *Link[W]) Attach(w W) {
	l.mu.Lock()
	l.w = w
	l.mu.Unlock()
}

// UseBuffer sets the buffer (the handshake agreed to stateful reconnect, or nil) and returns
// the one it replaces, for its owner to dispose of.
func (l *Link[W]) UseBuffer(buf *SequenceBuffer) (old *SequenceBuffer) {
	return l.buf.Swap(buf)
}

// Buffer is the buffer, nil when stateful reconnect is not in use.
func (l *Link[W]) Buffer() *SequenceBuffer {
	return l.buf.Load()
}

// WriteFrame writes a frame that is not sequenced (a handshake, a ping, an Ack) to the
// current writer with write, or with the link's own write when write is nil.
func (l *Link[W]) WriteFrame(frame []byte, write func(w W, frame []byte) error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if write == nil {
		_, err := l.write(l.w, frame)
		return err
	}
	return write(l.w, frame)
}

// Send writes a message's frame. Under stateful reconnect a sequenced message is also kept
// until the peer acknowledges it; while the transport is gone it is only kept, and a failed
// write marks the transport gone: the frame is then replayed, so Send does not fail. done,
// when not nil, is what the sender waits on: the outcome of a write that is done later (the
// writer's posted), or room in a buffer that is over its limit. frame is the caller's again
// when Send returns: what keeps it copies it.
func (l *Link[W]) Send(t MessageType, frame []byte) (done <-chan error, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	buf := l.Buffer()
	if buf == nil || !Sequenced(t) {
		return l.write(l.w, frame)
	}
	writeNow, room := buf.Sent(t, frame)
	if writeNow {
		if _, err := l.write(l.w, frame); err != nil {
			buf.Disconnected()
		}
	}
	return room, nil
}

// Accept tells whether to process a received message: always without stateful reconnect;
// with it, not a replayed duplicate nor anything before the peer's Sequence. sendAck sends
// the Ack that tells the peer of it, a second later.
func (l *Link[W]) Accept(t MessageType, sendAck func(sequenceID int64)) bool {
	buf := l.Buffer()
	return buf == nil || buf.Accept(t, sendAck)
}

// Received handles the peer's Ack and Sequence messages (others are not the link's): it
// returns the error a Sequence that skips messages ends the connection with.
func (l *Link[W]) Received(m *Message) error {
	buf := l.Buffer()
	switch {
	case buf == nil:
	case m.Type == AckType:
		buf.Ack(m.SequenceID)
	case m.Type == SequenceType:
		return buf.Resequence(m.SequenceID)
	}
	return nil
}

// Disconnected starts a transport reconnect: sends are kept, not written, until Swap.
func (l *Link[W]) Disconnected() {
	if buf := l.Buffer(); buf != nil {
		buf.Disconnected()
	}
}

// Swap is stateful reconnect's resumption: under the write lock, next is given the buffer
// in use and returns the new writer (false: the connection is no longer there to resume,
// and nothing changes); the Sequence message in protocol p and every unacknowledged frame
// are then written to it. It reports whether the link resumed.
func (l *Link[W]) Swap(p HubProtocol, next func(buf *SequenceBuffer) (W, bool)) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	buf := l.Buffer()
	if buf == nil {
		return false
	}
	w, ok := next(buf)
	if !ok {
		return false
	}
	l.w = w
	return buf.Replay(p, func(frame []byte) error {
		_, err := l.write(w, frame)
		return err
	}) == nil
}
