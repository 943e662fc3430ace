package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"
)

// pollTimeout is how long a poll waits for messages before it returns empty (ASP.NET's 90 s,
// under the client's 100 s).
const pollTimeout = 90 * time.Second

// httpTransport serves the HTTP transports of a negotiated connection. Long Polling: the
// first GET starts the connection and returns at once, later GETs wait for messages.
// Server-Sent Events: one GET (Accept: text/event-stream) starts it and streams. Both: POSTs
// carry the client's frames, DELETE ends the connection.
func (s *Server) httpTransport(w http.ResponseWriter, r *http.Request, hub *hubEntry) {
	token := r.URL.Query().Get("id")
	if token == "" {
		http.Error(w, "Connection ID required", http.StatusBadRequest)
		return
	}
	sse := r.Method == http.MethodGet && r.Header.Get("Accept") == "text/event-stream"
	s.mu.Lock()
	p := s.tokens[token]
	first := p != nil && !p.used && r.Method == http.MethodGet
	if first {
		p.used = true
		if sse {
			p.events = newEventWire(w)
		} else {
			p.poll = newPollWire(s.opts.ClientTimeout)
		}
	}
	var pw *pollWire
	var ev *eventWire
	if p != nil {
		pw, ev = p.poll, p.events
	}
	s.mu.Unlock()
	var in *inbox
	switch {
	case pw != nil:
		in = &pw.inbox
	case ev != nil:
		in = &ev.inbox
	}
	if in == nil || (r.Method == http.MethodGet && !first && pw == nil) {
		http.Error(w, "No Connection with that ID", http.StatusNotFound)
		return
	}
	switch r.Method {
	case http.MethodGet:
		switch {
		case first && sse:
			go s.newConn(hub, p.id, token, r, ev, p.stateful).serve(faultsOf(r.URL.Query()))
			ev.stream(r)
		case first:
			go s.newConn(hub, p.id, token, r, pw, p.stateful).serve(faultsOf(r.URL.Query()))
			w.WriteHeader(http.StatusOK)
		default:
			pw.poll(w, r)
		}
	case http.MethodPost:
		body, err := io.ReadAll(r.Body)
		if err != nil || !in.deliver(r.Context(), body) {
			http.Error(w, "No Connection with that ID", http.StatusNotFound)
		}
	case http.MethodDelete:
		in.end(true)
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte("Accepted"))
	default:
		http.Error(w, "Unsupported method.", http.StatusMethodNotAllowed)
	}
}

// inbox is the receiving half of the HTTP transports: POST bodies come in, a DELETE or the
// server ends it.
type inbox struct {
	in      chan []byte
	wake    chan struct{} // something to send, or the end
	ended   chan struct{}
	endOnce sync.Once

	mu   sync.Mutex
	left bool // the client said goodbye (DELETE)
}

func newInbox() inbox {
	return inbox{in: make(chan []byte, 64), wake: make(chan struct{}, 1), ended: make(chan struct{})}
}

// read returns the next POST body; idle, when not nil, is asked every second whether the
// client is gone.
func (b *inbox) read(ctx context.Context, idle func() bool) ([]byte, error) {
	var tick <-chan time.Time
	if idle != nil {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case f := <-b.in:
			return f, nil
		case <-b.ended:
			b.mu.Lock()
			defer b.mu.Unlock()
			if b.left {
				return nil, io.EOF
			}
			return nil, errWireClosed
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick:
			if idle() {
				b.end(false)
				return nil, errPollsStopped
			}
		}
	}
}

func (b *inbox) notify() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

func (b *inbox) end(clientLeft bool) {
	b.endOnce.Do(func() {
		b.mu.Lock()
		b.left = clientLeft
		b.mu.Unlock()
		close(b.ended)
		b.notify()
	})
}

// Close ends the transport from the server's side: a poll takes what is still waiting, then
// gets 204; an event stream ends.
func (b *inbox) Close() error {
	b.end(false)
	return nil
}

func (b *inbox) isEnded() bool {
	select {
	case <-b.ended:
		return true
	default:
		return false
	}
}

func (b *inbox) deliver(ctx context.Context, body []byte) bool {
	select {
	case b.in <- body:
		return true
	case <-b.ended:
		return false
	case <-ctx.Done():
		return false
	}
}

// pollWire is Long Polling as a wire: frames wait for the next poll.
type pollWire struct {
	inbox
	idleTimeout time.Duration

	outMu    sync.Mutex
	out      [][]byte
	polling  int
	lastPoll time.Time
}

func newPollWire(idleTimeout time.Duration) *pollWire {
	return &pollWire{inbox: newInbox(), idleTimeout: idleTimeout, lastPoll: time.Now()}
}

// errPollsStopped ends a connection whose client stopped polling without a DELETE.
var errPollsStopped = errors.New("the client stopped polling")

func (p *pollWire) Read(ctx context.Context) ([]byte, error) {
	return p.read(ctx, func() bool {
		p.outMu.Lock()
		defer p.outMu.Unlock()
		return p.polling == 0 && time.Since(p.lastPoll) > p.idleTimeout
	})
}

func (p *pollWire) Write(_ context.Context, frame []byte, _ bool) error {
	if p.isEnded() {
		return errWireClosed
	}
	p.outMu.Lock()
	p.out = append(p.out, frame)
	p.outMu.Unlock()
	p.notify()
	return nil
}

// Drop also loses what was waiting, as a broken connection would.
func (p *pollWire) Drop() error {
	p.outMu.Lock()
	p.out = nil
	p.outMu.Unlock()
	p.end(false)
	return nil
}

func (p *pollWire) inherentKeepAlive() bool { return true }

// poll answers one GET: the frames waiting (several in one body), or 204 once the
// connection has ended, or an empty 200 after pollTimeout.
func (p *pollWire) poll(w http.ResponseWriter, r *http.Request) {
	p.outMu.Lock()
	p.polling++
	p.outMu.Unlock()
	defer func() {
		p.outMu.Lock()
		p.polling--
		p.lastPoll = time.Now()
		p.outMu.Unlock()
	}()
	timeout := time.NewTimer(pollTimeout)
	defer timeout.Stop()
	for {
		p.outMu.Lock()
		frames := p.out
		p.out = nil
		p.outMu.Unlock()
		if len(frames) > 0 {
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write(bytes.Join(frames, nil))
			return
		}
		if p.isEnded() {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		select {
		case <-p.wake:
		case <-p.ended:
		case <-r.Context().Done():
			return
		case <-timeout.C:
			w.WriteHeader(http.StatusOK)
			return
		}
	}
}

// eventWire is Server-Sent Events as a wire: frames go down the stream as they come, each
// line of a frame a data line.
type eventWire struct {
	inbox
	w       http.ResponseWriter
	writeMu sync.Mutex
}

func newEventWire(w http.ResponseWriter) *eventWire { return &eventWire{inbox: newInbox(), w: w} }

// stream holds the GET open until the connection ends or the client goes away.
func (e *eventWire) stream(r *http.Request) {
	e.writeMu.Lock()
	e.w.Header().Set("Content-Type", "text/event-stream")
	e.w.Header().Set("Cache-Control", "no-cache")
	e.w.WriteHeader(http.StatusOK)
	// A comment first, as ASP.NET Core's ServerSentEventsServerTransport writes one: Firefox's
	// EventSource opens only once some of the body has arrived.
	_, _ = io.WriteString(e.w, ":\r\n")
	flush(e.w)
	e.writeMu.Unlock()
	select {
	case <-e.ended:
	case <-r.Context().Done():
		e.end(false)
	}
	e.writeMu.Lock() // no write after the handler returns
	e.w = nil
	e.writeMu.Unlock()
}

func flush(w http.ResponseWriter) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

func (e *eventWire) Read(ctx context.Context) ([]byte, error) { return e.read(ctx, nil) }

func (e *eventWire) Write(_ context.Context, frame []byte, _ bool) error {
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	if e.w == nil || e.isEnded() {
		return errWireClosed
	}
	var b bytes.Buffer
	for _, line := range bytes.Split(bytes.TrimSuffix(frame, []byte("\n")), []byte("\n")) {
		b.WriteString("data: ")
		b.Write(line)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	if _, err := e.w.Write(b.Bytes()); err != nil {
		return err
	}
	flush(e.w)
	return nil
}

func (e *eventWire) Drop() error { return e.Close() }

// inherentKeepAlive is false: over Server-Sent Events, pings and timeouts apply as over
// WebSockets.
func (e *eventWire) inherentKeepAlive() bool { return false }
