package transport

import (
	"context"
	"errors"
	"strconv"

	"github.com/signalr-wasm/signalr-wasm/internal/lock"
	"github.com/signalr-wasm/signalr-wasm/internal/logging"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// postQueue sends an HTTP transport's frames as POSTs, one at a time: frames queued while a
// POST is in flight go together in the next one, as signalr.js's TransportSendQueue joins
// them. push never waits for the network (a caller may be JS's own thread, which must not).
// Each frame's sender that waits (Poster) learns the outcome of its POST, as signalr.js's
// queue settles its sends; a POST that fails does not end the transport, except the
// handshake's (reported to failed, which closes it: the start fails with its error).
type postQueue struct {
	name     string // the transport's name in the log lines: "LongPolling", "SSE"
	settings *Settings
	url      string
	format   protocol.TransferFormat
	running  func() bool
	failed   func(error)

	mu      lock.Mutex
	queue   []queuedFrame
	sending bool
}

// queuedFrame is a frame to send; text is one written as text whatever the transfer format
// (the handshake), which signalr.js sends as a string, in a POST of its own. done, when not
// nil, receives the outcome of its POST.
type queuedFrame struct {
	frame []byte
	text  bool
	done  chan<- error
}

// errStopped is what the frames still queued when the transport stops get, signalr.js's
// TransportSendQueue's rejection.
var errStopped = errors.New("Connection stopped.")

// post queues a frame whose sender waits for its POST.
func (q *postQueue) post(frame []byte) (<-chan error, error) {
	done := make(chan error, 1)
	return done, q.push(frame, false, done)
}

func (q *postQueue) push(frame []byte, text bool, done chan<- error) error {
	if !q.running() {
		return errors.New("Cannot send until the transport is connected")
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queue = append(q.queue, queuedFrame{append([]byte(nil), frame...), text, done})
	if !q.sending {
		q.sending = true
		go q.drain()
	}
	return nil
}

func (q *postQueue) drain() {
	for {
		q.mu.Lock()
		if len(q.queue) == 0 || !q.running() {
			settle(q.queue, errStopped)
			q.queue = nil
			q.sending = false
			q.mu.Unlock()
			return
		}
		// The frames of one kind at the front of the queue go together.
		kind := q.queue[0].text
		n, size := 0, 0
		for n < len(q.queue) && q.queue[n].text == kind {
			size += len(q.queue[n].frame)
			n++
		}
		batch := q.queue[:n]
		body := make([]byte, 0, size)
		for _, f := range batch {
			body = append(body, f.frame...)
		}
		q.queue = q.queue[n:]
		q.mu.Unlock()
		format := q.format
		if kind {
			format = protocol.Text
		}
		q.settings.traceData(q.name, "sending data", body, format)
		resp, err := q.settings.HTTP.Do(context.Background(), q.settings.request("POST", q.url, body, q.settings.Timeout, format))
		if err == nil {
			q.settings.log(logging.Trace, "("+q.name+" transport) request complete. Response status: "+strconv.Itoa(resp.StatusCode)+".")
		} else if kind {
			q.failed(err)
		}
		settle(batch, err)
	}
}

// settle hands each waiting sender of frames the outcome of their POST.
func settle(frames []queuedFrame, err error) {
	for _, f := range frames {
		if f.done != nil {
			f.done <- err
		}
	}
}
