package server

import (
	"context"
	"errors"

	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// ClientProxy sends to a set of connections.
type ClientProxy struct{ targets func() []*conn }

// Send invokes method on every target without waiting (ASP.NET's SendAsync). Arguments are
// encoded per connection, since connections may speak different protocols.
func (p ClientProxy) Send(method string, args ...any) error {
	if args == nil {
		args = []any{}
	}
	encoded := map[string]protocol.Raw{}
	var firstErr error
	for _, c := range p.targets() {
		raw, ok := encoded[c.proto.Name()]
		if !ok {
			var err error
			if raw, err = c.proto.Encode(args); err != nil {
				return err
			}
			encoded[c.proto.Name()] = raw
		}
		if err := c.write(&protocol.Message{Type: protocol.InvocationType, Target: method, Arguments: raw}); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// Invoke calls method on the single target and waits for its result (client results).
func (p ClientProxy) Invoke(ctx context.Context, method string, args ...any) (protocol.Raw, error) {
	if args == nil {
		args = []any{}
	}
	targets := p.targets()
	if len(targets) != 1 {
		return nil, errors.New("client results need exactly one connection")
	}
	return targets[0].invokeClient(ctx, method, args)
}

// HubClients picks the connections a hub sends to.
type HubClients struct {
	s      *Server
	hub    *hubEntry
	caller *conn
}

func (h *HubClients) All() ClientProxy { return h.proxy(func(*conn) bool { return true }) }

func (h *HubClients) Caller() ClientProxy {
	c := h.caller
	return ClientProxy{targets: func() []*conn { return []*conn{c} }}
}

func (h *HubClients) Others() ClientProxy {
	return h.proxy(func(c *conn) bool { return c != h.caller })
}

func (h *HubClients) Client(id string) ClientProxy { return h.Clients(id) }

func (h *HubClients) Clients(ids ...string) ClientProxy {
	set := toSet(ids)
	return h.proxy(func(c *conn) bool { return set[c.id] })
}

func (h *HubClients) AllExcept(ids ...string) ClientProxy {
	set := toSet(ids)
	return h.proxy(func(c *conn) bool { return !set[c.id] })
}

func (h *HubClients) Group(name string) ClientProxy {
	return h.proxy(func(c *conn) bool { return c.inGroup(name) })
}

func (h *HubClients) OthersInGroup(name string) ClientProxy {
	return h.proxy(func(c *conn) bool { return c != h.caller && c.inGroup(name) })
}

// proxy sends to the live connections of the caller's hub that match keep.
func (h *HubClients) proxy(keep func(*conn) bool) ClientProxy {
	s := h.s
	return ClientProxy{targets: func() []*conn {
		s.mu.Lock()
		defer s.mu.Unlock()
		var out []*conn
		for _, c := range s.conns {
			if c.hub == h.hub && keep(c) {
				out = append(out, c)
			}
		}
		return out
	}}
}

// GroupManager adds and removes connections to named groups.
type GroupManager struct{ s *Server }

func (g *GroupManager) Add(connectionID, group string) {
	if c := g.s.conn(connectionID); c != nil {
		c.mu.Lock()
		c.groups[group] = true
		c.mu.Unlock()
	}
}

func (g *GroupManager) Remove(connectionID, group string) {
	if c := g.s.conn(connectionID); c != nil {
		c.mu.Lock()
		delete(c.groups, group)
		c.mu.Unlock()
	}
}

func (c *conn) inGroup(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.groups[name]
}

func (s *Server) conn(id string) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns[id]
}

func (s *Server) addConn(c *conn) {
	s.mu.Lock()
	s.conns[c.id] = c
	s.mu.Unlock()
}

func (s *Server) removeConn(c *conn) {
	s.mu.Lock()
	delete(s.conns, c.id)
	s.mu.Unlock()
}

func toSet(ids []string) map[string]bool {
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set
}
