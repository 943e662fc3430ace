// Package hubs holds the hubs the test server maps: the docs' chat hub for the demo and the
// test hub the page tests drive.
package hubs

import (
	"sort"
	"sync"

	"github.com/signalr-wasm/signalr-wasm/server"
)

// Chat is the ASP.NET Core docs' chat hub, plus the connected-clients list the demo shows.
type Chat struct {
	server.Hub
	online *online
}

// online is the chat's list of connected ids, shared by its hub instances the way an
// ASP.NET app would share a singleton service.
type online struct {
	mu  sync.Mutex
	ids map[string]bool
}

// NewChat returns the factory to map: one list of online clients per server.
func NewChat() func() server.HubInstance {
	o := &online{ids: map[string]bool{}}
	return func() server.HubInstance { return &Chat{online: o} }
}

func (h *Chat) SendMessage(user, message string) error {
	return h.Clients.All().Send("ReceiveMessage", user, message)
}

// OnConnected sends the newcomer the whole list and tells the others who joined.
func (h *Chat) OnConnected() error {
	id := h.Context.ConnectionID
	h.online.mu.Lock()
	h.online.ids[id] = true
	ids := make([]string, 0, len(h.online.ids))
	for k := range h.online.ids {
		ids = append(ids, k)
	}
	h.online.mu.Unlock()
	sort.Strings(ids)
	if err := h.Clients.Caller().Send("clients", ids); err != nil {
		return err
	}
	return h.Clients.Others().Send("userJoined", id)
}

func (h *Chat) OnDisconnected(error) error {
	id := h.Context.ConnectionID
	h.online.mu.Lock()
	delete(h.online.ids, id)
	h.online.mu.Unlock()
	return h.Clients.All().Send("userLeaved", id)
}
