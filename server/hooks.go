package server

import (
	"context"
	"net/http"
	"sync"
)

// hooks are the server's side of a test's timing: the moment a connection named by ?hook=key
// reached a point ("negotiate", "handshake", "ping<n>" for the client's n-th ping), which
// GET /fault/wait?hook=key&event=name awaits. A page then stops a connection during its
// handshake because the server says it is in it, not because a guessed delay has passed.
// The other way, POST /fault/signal?hook=key&event=release lets a held negotiation go on.
type hooks struct {
	mu     sync.Mutex
	events map[string]chan struct{} // by key + "/" + event; closed when it happened
}

func (h *hooks) channel(key, event string) chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.events == nil {
		h.events = map[string]chan struct{}{}
	}
	ch := h.events[key+"/"+event]
	if ch == nil {
		ch = make(chan struct{})
		h.events[key+"/"+event] = ch
	}
	return ch
}

// happened records that the connection with hook key reached event.
func (h *hooks) happened(key, event string) {
	if key == "" {
		return
	}
	ch := h.channel(key, event)
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-ch:
	default:
		close(ch)
	}
}

// wait answers 204 once the event has happened, or gives up with the request.
func (h *hooks) wait(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	h.await(r.Context(), q.Get("hook"), q.Get("event"))
	if r.Context().Err() == nil {
		w.WriteHeader(http.StatusNoContent)
	}
}

// signal records an event a page sends (POST /fault/signal?hook=key&event=name).
func (h *hooks) signal(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	h.happened(q.Get("hook"), q.Get("event"))
	w.WriteHeader(http.StatusNoContent)
}

// await blocks until event has happened for key, or ctx ends.
func (h *hooks) await(ctx context.Context, key, event string) {
	select {
	case <-h.channel(key, event):
	case <-ctx.Done():
	}
}
