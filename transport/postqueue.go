package transport

import (
	"bytes"
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
	queue   [][]byte
	sending bool
}

func (q *postQueue) push(frame []byte) error {
	if !q.running() {
		return errors.New("Cannot send until the transport is connected")
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queue = append(q.queue, frame)
	if !q.sending {
		q.sending = true
		go q.drain()
	}
	return nil
}

func (q *postQueue) drain() {
	for {
		q.mu.Lock()
		frames := q.queue
		q.queue = nil
		if len(frames) == 0 || !q.running() {
			q.sending = false
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		body := bytes.Join(frames, nil)
		q.settings.traceData(q.name, "sending data", body, q.format)
		resp, err := q.settings.HTTP.Do(context.Background(), q.settings.request("POST", q.url, body, q.settings.Timeout, q.format))
		if err != nil {
			q.failed(err)
			continue
		}
		q.settings.log(logging.Trace, "("+q.name+" transport) request complete. Response status: "+strconv.Itoa(resp.StatusCode)+".")
	}
}
