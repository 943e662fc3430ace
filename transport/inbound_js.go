package transport

import (
	"context"
	"sync"
)

// inbound carries what a browser object's callbacks receive (a WebSocket's messages, an
// EventSource's events) to the goroutine that reads them: a js.FuncOf callback must never
// block, so frames go through a queue and a one-slot wake channel.
type inbound struct {
	mu    sync.Mutex
	queue []received
	err   error // why no more frames come; the first reason wins
	wake  chan struct{}
}

// received is one frame; foreign marks one of the other transfer format (ForeignFrameError).
type received struct {
	frame   []byte
	foreign bool
}

func newInbound() inbound { return inbound{wake: make(chan struct{}, 1)} }

func (q *inbound) push(frame []byte, foreign bool) {
	q.mu.Lock()
	q.queue = append(q.queue, received{frame, foreign})
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

// next returns the next frame, then, once they are all read, the reason they ended.
func (q *inbound) next(ctx context.Context) ([]byte, error) {
	for {
		q.mu.Lock()
		if len(q.queue) > 0 {
			r := q.queue[0]
			q.queue[0] = received{}
			if len(q.queue) == 1 {
				q.queue = q.queue[:0] // keeps the array: a frame at a time would otherwise make one each
			} else {
				q.queue = q.queue[1:]
			}
			q.mu.Unlock()
			if r.foreign {
				return nil, &ForeignFrameError{Frame: r.frame}
			}
			return r.frame, nil
		}
		err := q.err
		q.mu.Unlock()
		if err != nil {
			return nil, err
		}
		select {
		case <-q.wake:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
