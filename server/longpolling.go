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

// longPoll serves Long Polling for a negotiated connection: the first GET starts it and
// returns at once, later GETs wait for messages, POSTs carry the client's frames, DELETE
// ends it.
func (s *Server) longPoll(w http.ResponseWriter, r *http.Request, hub *hubEntry) {
	token := r.URL.Query().Get("id")
	if token == "" {
		http.Error(w, "Connection ID required", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	p := s.tokens[token]
	first := p != nil && !p.used && r.Method == http.MethodGet
	if first {
		p.used, p.poll = true, newPollWire(s.opts.ClientTimeout)
	}
	var pw *pollWire
	if p != nil {
		pw = p.poll
	}
	s.mu.Unlock()
	if pw == nil {
		http.Error(w, "No Connection with that ID", http.StatusNotFound)
		return
	}
	switch r.Method {
	case http.MethodGet:
		if first {
			go s.newConn(hub, p.id, token, r, pw, p.stateful).serve(faultsOf(r.URL.Query()))
			w.WriteHeader(http.StatusOK)
			return
		}
		pw.poll(w, r)
	case http.MethodPost:
		body, err := io.ReadAll(r.Body)
		if err != nil || !pw.deliver(r.Context(), body) {
			http.Error(w, "No Connection with that ID", http.StatusNotFound)
		}
	case http.MethodDelete:
		pw.end(true)
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte("Accepted"))
	default:
		http.Error(w, "Unsupported method.", http.StatusMethodNotAllowed)
	}
}

// pollWire is Long Polling as a wire: POST bodies come in, frames wait for the next poll.
type pollWire struct {
	in          chan []byte
	wake        chan struct{} // a frame to send, or the end
	ended       chan struct{}
	endOnce     sync.Once
	idleTimeout time.Duration

	mu       sync.Mutex
	out      [][]byte
	left     bool // the client said goodbye (DELETE)
	polling  int
	lastPoll time.Time
}

func newPollWire(idleTimeout time.Duration) *pollWire {
	return &pollWire{
		in: make(chan []byte, 64), wake: make(chan struct{}, 1), ended: make(chan struct{}),
		idleTimeout: idleTimeout, lastPoll: time.Now(),
	}
}

// errPollsStopped ends a connection whose client stopped polling without a DELETE.
var errPollsStopped = errors.New("the client stopped polling")

func (p *pollWire) Read(ctx context.Context) ([]byte, error) {
	idle := time.NewTicker(time.Second)
	defer idle.Stop()
	for {
		select {
		case f := <-p.in:
			return f, nil
		case <-p.ended:
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.left {
				return nil, io.EOF
			}
			return nil, errWireClosed
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-idle.C:
			p.mu.Lock()
			gone := p.polling == 0 && time.Since(p.lastPoll) > p.idleTimeout
			p.mu.Unlock()
			if gone {
				p.end(false)
				return nil, errPollsStopped
			}
		}
	}
}

func (p *pollWire) Write(_ context.Context, frame []byte, _ bool) error {
	select {
	case <-p.ended:
		return errWireClosed
	default:
	}
	p.mu.Lock()
	p.out = append(p.out, frame)
	p.mu.Unlock()
	p.notify()
	return nil
}

func (p *pollWire) notify() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Close lets the next poll take what is still waiting, then answers 204: the server is done.
func (p *pollWire) Close() error {
	p.end(false)
	return nil
}

// Drop also loses what was waiting, as a broken connection would.
func (p *pollWire) Drop() error {
	p.mu.Lock()
	p.out = nil
	p.mu.Unlock()
	p.end(false)
	return nil
}

func (p *pollWire) inherentKeepAlive() bool { return true }

func (p *pollWire) end(clientLeft bool) {
	p.endOnce.Do(func() {
		p.mu.Lock()
		p.left = clientLeft
		p.mu.Unlock()
		close(p.ended)
		p.notify()
	})
}

func (p *pollWire) deliver(ctx context.Context, body []byte) bool {
	select {
	case p.in <- body:
		return true
	case <-p.ended:
		return false
	case <-ctx.Done():
		return false
	}
}

// poll answers one GET: the frames waiting (several in one body), or 204 once the
// connection has ended, or an empty 200 after pollTimeout.
func (p *pollWire) poll(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.polling++
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.polling--
		p.lastPoll = time.Now()
		p.mu.Unlock()
	}()
	timeout := time.NewTimer(pollTimeout)
	defer timeout.Stop()
	for {
		p.mu.Lock()
		frames := p.out
		p.out = nil
		p.mu.Unlock()
		if len(frames) > 0 {
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write(bytes.Join(frames, nil))
			return
		}
		select {
		case <-p.ended:
			w.WriteHeader(http.StatusNoContent)
			return
		default:
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
