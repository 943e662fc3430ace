package transport

import (
	"context"

	"github.com/signalr-wasm/signalr-wasm/internal/lock"
)

// inbound carries what a browser object's callbacks receive (a WebSocket's messages, an
// EventSource's events) to the goroutine that reads them: a js.FuncOf callback must never
// block, so frames go through a queue and a one-slot wake channel.
//
// A reader may instead have the frames handed to a function in the callback itself
// (receiveWith): in wasm the hop from the callback's goroutine to the reader's and back
// costs more than most messages (two parks, a select, a lock). Frames still go through the
// queue while the reader has one in hand, or some are queued, so that they keep their order.
type inbound struct {
	mu    lock.Mutex
	queue []received
	err   error // why no more frames come; the first reason wins
	wake  chan struct{}

	receive  func(frame []byte, foreign bool) error
	handling bool  // receive runs: the reader waits
	reading  bool  // next returned a frame that the reader still handles
	failed   error // what receive returned, for next to hand to the reader
}

// received is one frame; foreign marks one of the other transfer format (ForeignFrameError).
type received struct {
	frame   []byte
	foreign bool
}

func newInbound() inbound { return inbound{wake: make(chan struct{}, 1)} }

// receiveWith has receive take the frames from now on, whenever none is queued or in the
// reader's hand; the first error it returns ends that, and next returns it as a
// *ReceiveError.
func (q *inbound) receiveWith(receive func(frame []byte, foreign bool) error) {
	q.mu.Lock()
	q.receive = receive
	q.mu.Unlock()
}

func (q *inbound) push(frame []byte, foreign bool) {
	q.mu.Lock()
	if q.receive != nil && !q.handling && !q.reading && len(q.queue) == 0 && q.err == nil && q.failed == nil {
		q.handling = true
		receive := q.receive
		q.mu.Unlock()
		err := receive(frame, foreign)
		q.mu.Lock()
		q.handling = false
		if err != nil {
			q.failed = err
		}
		waiting := err != nil || len(q.queue) > 0 || q.err != nil
		q.mu.Unlock()
		if waiting {
			q.signal()
		}
		return
	}
	// The frame is the caller's only until push returns (jsevents.Post).
	q.queue = append(q.queue, received{append([]byte(nil), frame...), foreign})
	q.mu.Unlock()
	q.signal()
}

func (q *inbound) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// end records why no more frames come, and reports whether it is the first reason.
func (q *inbound) end(err error) bool {
	q.mu.Lock()
	first := q.err == nil
	if first {
		q.err = err
	}
	q.mu.Unlock()
	q.signal()
	return first
}

// next returns the next frame, then, once they are all read, the reason they ended. Calling
// it again tells that the reader is done with the frame it returned before.
func (q *inbound) next(ctx context.Context) ([]byte, error) {
	q.mu.Lock()
	q.reading = false
	for {
		switch {
		case q.handling: // wait for receive's end
		case q.failed != nil:
			err := q.failed
			q.failed, q.receive = nil, nil
			q.mu.Unlock()
			return nil, &ReceiveError{Err: err}
		case len(q.queue) > 0:
			r := q.queue[0]
			q.queue[0] = received{}
			if len(q.queue) == 1 {
				q.queue = q.queue[:0] // keeps the array: a frame at a time would otherwise make one each
			} else {
				q.queue = q.queue[1:]
			}
			q.reading = true
			q.mu.Unlock()
			if r.foreign {
				return nil, &ForeignFrameError{Frame: r.frame}
			}
			return r.frame, nil
		case q.err != nil:
			err := q.err
			q.mu.Unlock()
			return nil, err
		}
		q.mu.Unlock()
		select {
		case <-q.wake:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		q.mu.Lock()
	}
}
