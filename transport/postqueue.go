package transport

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"github.com/signalr-wasm/signalr-wasm/internal/logging"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// postQueue sends an HTTP transport's frames as POSTs, one at a time: frames queued while a
// POST is in flight go together in the next one, as signalr.js's TransportSendQueue joins
// them. push never waits for the network (a caller may be JS's own thread, which must not);
// a POST that fails is reported to failed, which closes the transport.
type postQueue struct {
	name     string // the transport's name in the log lines: "LongPolling", "SSE"
	settings *Settings
	url      string
	format   protocol.TransferFormat
	running  func() bool
	failed   func(error)

	mu      sync.Mutex
	queue   []queuedFrame
	sending bool
}

// queuedFrame is a frame to send; text is one written as text whatever the transfer format
// (the handshake), which signalr.js sends as a string, in a POST of its own.
type queuedFrame struct {
	frame []byte
	text  bool
}

func (q *postQueue) push(frame []byte, text bool) error {
	if !q.running() {
		return errors.New("Cannot send until the transport is connected")
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queue = append(q.queue, queuedFrame{frame, text})
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
			q.queue = nil
			q.sending = false
			q.mu.Unlock()
			return
		}
		// The frames of one kind at the front of the queue go together.
		var body []byte
		kind := q.queue[0].text
		for len(q.queue) > 0 && q.queue[0].text == kind {
			body = append(body, q.queue[0].frame...)
			q.queue = q.queue[1:]
		}
		q.mu.Unlock()
		format := q.format
		if kind {
			format = protocol.Text
		}
		q.settings.traceData(q.name, "sending data", body, format)
		resp, err := q.settings.HTTP.Do(context.Background(), q.settings.request("POST", q.url, body, q.settings.Timeout, format))
		if err != nil {
			q.failed(err)
			continue
		}
		q.settings.log(logging.Trace, "("+q.name+" transport) request complete. Response status: "+strconv.Itoa(resp.StatusCode)+".")
	}
}
