package server

import (
	"context"
	"sync"
	"time"
)

// joinLimit is how many bytes of frames wait for the socket before a write waits for room:
// ASP.NET Core's TransportMaxBufferSize, 64 KB, past which a hub's writes wait.
const joinLimit = 64 << 10

// joinedWire sends, as one WebSocket message, every frame written while the message before
// it was being sent, as ASP.NET Core does: its transport sends whatever the hub wrote to the
// connection's pipe in the meantime as one message, so a burst of hub messages (a stream's
// items, a broadcast, the completions of many invocations) reaches a client in a few large
// frames. signalr.js reads each frame's messages in one event; a client that paid a price
// per frame would look cheaper against a server that sent a frame per message.
//
// A write returns once its frame is queued; a failed send is the error of the writes after
// it, as a transport's is after its socket is gone.
type joinedWire struct {
	wire // a WebSocket's, one frame a message
	mu   sync.Mutex
	cond sync.Cond
	// queued are the frames not yet taken by the sender (frames of them), all of one kind
	// (binary or not); spare is the sender's last message, whose array the next queue
	// reuses. alone: the queued frame is to be sent by itself (aloneWire).
	queued, spare []byte
	frames        int
	binary        bool
	alone         bool
	sending       bool
	closed        bool
	err           error
}

func newJoinedWire(w wire) *joinedWire {
	j := &joinedWire{wire: w}
	j.cond.L = &j.mu
	go j.send()
	return j
}

func (j *joinedWire) Write(_ context.Context, frame []byte, binary bool) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.queue(frame, binary, false)
}

// alone is w sending each frame as a WebSocket message of its own, even an empty one: for a
// test's raw frames, each about that one message.
func alone(w wire) wire {
	if j, ok := w.(*joinedWire); ok {
		return aloneWire{j}
	}
	return w
}

type aloneWire struct{ *joinedWire }

func (a aloneWire) Write(_ context.Context, frame []byte, binary bool) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.queue(frame, binary, true)
}

// queue queues frame, after the queue went out if the frame cannot join it: it is to be
// alone, or the queue is, or is full, or of the other kind (one message has one kind).
func (j *joinedWire) queue(frame []byte, binary, alone bool) error {
	for j.err == nil && j.frames > 0 && (alone || j.alone || len(j.queued) >= joinLimit || binary != j.binary) {
		j.cond.Wait()
	}
	if j.err != nil {
		return j.err
	}
	if j.closed {
		return errWireClosed
	}
	j.queued = append(j.queued, frame...)
	j.frames++
	j.binary, j.alone = binary, alone
	j.cond.Broadcast()
	return nil
}

// send sends the queue as one message, again and again, until the wire is closed and the
// queue is empty.
func (j *joinedWire) send() {
	j.mu.Lock()
	defer j.mu.Unlock()
	for {
		for j.frames == 0 && !j.closed {
			j.cond.Wait()
		}
		if j.frames == 0 {
			return
		}
		message, binary := j.queued, j.binary
		j.queued, j.spare, j.frames, j.alone = j.spare[:0], nil, 0, false
		j.sending = true
		j.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := j.wire.Write(ctx, message, binary)
		cancel()
		j.mu.Lock()
		j.sending = false
		j.spare = message
		if err != nil && j.err == nil {
			j.err, j.closed, j.queued, j.frames = err, true, nil, 0
		}
		j.cond.Broadcast()
	}
}

// Close sends what is queued, then closes the socket cleanly.
func (j *joinedWire) Close() error {
	j.mu.Lock()
	j.closed = true
	j.cond.Broadcast()
	for j.frames > 0 || j.sending {
		j.cond.Wait()
	}
	j.mu.Unlock()
	return j.wire.Close()
}

// Drop drops the socket and what is queued, as a network fault would.
func (j *joinedWire) Drop() error {
	j.mu.Lock()
	if j.err == nil {
		j.err = errWireClosed
	}
	j.closed, j.queued, j.frames = true, nil, 0
	j.cond.Broadcast()
	j.mu.Unlock()
	return j.wire.Drop()
}
