// Package server is a small SignalR server: negotiate, WebSockets, the JSON hub protocol and a
// Hubs API in the spirit of ASP.NET Core SignalR. It runs the tests, the demo and the
// benchmarks, and it shares the protocol package with the client, so both sides of every
// frame come from one implementation that is itself tested against signalr.js.
package server

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/signalr-wasm/signalr-wasm/protocol/govalues"
)

// Options configure a Server. Zero values are ASP.NET Core's defaults.
type Options struct {
	// DetailedErrors puts the error's message in Completion errors (EnableDetailedErrors).
	DetailedErrors bool
	// KeepAliveInterval is how often the server pings an idle connection (15 s).
	KeepAliveInterval time.Duration
	// ClientTimeout closes a connection that sent nothing for this long (30 s).
	ClientTimeout time.Duration
	// AllowStatefulReconnects agrees to stateful reconnect with clients that ask for it
	// (ASP.NET's HttpConnectionDispatcherOptions.AllowStatefulReconnects). Such a connection
	// outlives a lost WebSocket for ClientTimeout, waiting for the client to reconnect.
	AllowStatefulReconnects bool
	// LongPolling and ServerSentEvents offer those transports beside WebSockets in every
	// negotiation (a page can ask with ?longPolling=1 or ?serverSentEvents=1 in the hub
	// URL); the server always serves them.
	LongPolling      bool
	ServerSentEvents bool
	// Listener, when the server is served on it, enables POST /fault/restart?down=ms: the
	// server goes away (sockets dropped, connections refused) and is back after down (without
	// down, once the Listener's Up is called).
	Listener *Listener
	// Static serves directories beside the hubs (the demo page, the built client).
	Static []StaticDir
	// Logf receives one line per connection event; nil is silent.
	Logf func(format string, args ...any)
}

// Server is an http.Handler serving the mapped hubs and static directories.
type Server struct {
	opts      Options
	protocols map[string]govalues.Protocol

	mu     sync.Mutex
	hubs   map[string]*hubEntry // by path
	tokens map[string]*pending  // negotiated, not yet connected
	conns  map[string]*conn     // by connection id
	// refusals counts refused negotiations per refuseKey (faults.go).
	refusals map[string]int
	hooks    hooks
}

// New makes a server with no hubs.
func New(opts Options) *Server {
	if opts.KeepAliveInterval == 0 {
		opts.KeepAliveInterval = 15 * time.Second
	}
	if opts.ClientTimeout == 0 {
		opts.ClientTimeout = 30 * time.Second
	}
	return &Server{
		opts:      opts,
		protocols: map[string]govalues.Protocol{"json": govalues.JSON, "messagepack": govalues.MessagePack},
		hubs:      map[string]*hubEntry{},
		tokens:    map[string]*pending{},
		conns:     map[string]*conn{},
		refusals:  map[string]int{},
	}
}

// MapHub serves the hub made by newHub at path; newHub runs once per invocation and
// connection event, as ASP.NET's hubs are transient. The path matches in any case, as
// ASP.NET Core's routing does: the docs' samples write "/chatHub" for a hub mapped as
// "/chathub" and the other way round.
func (s *Server) MapHub(path string, newHub func() HubInstance) {
	entry := newHubEntry(path, newHub)
	s.mu.Lock()
	s.hubs[hubKey(path)] = entry
	s.mu.Unlock()
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !cors(w, r) {
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	s.mu.Lock()
	hub := s.hubs[hubKey(path)]
	var negotiateHub *hubEntry
	if strings.HasSuffix(path, "/negotiate") {
		negotiateHub = s.hubs[hubKey(strings.TrimSuffix(path, "/negotiate"))]
	}
	s.mu.Unlock()
	switch {
	case path == "/fault/restart" && s.opts.Listener != nil && r.Method == http.MethodPost:
		down := time.Duration(atoi(r.URL.Query().Get("down"))) * time.Millisecond
		// The answer must reach the page before its socket is dropped with the others: it is
		// on the wire once flushed, and the close that follows comes after it.
		w.WriteHeader(http.StatusNoContent)
		w.(http.Flusher).Flush()
		s.opts.Listener.Restart(down)
	case path == "/fault/wait" && r.Method == http.MethodGet:
		s.hooks.wait(w, r)
	case path == "/fault/signal" && r.Method == http.MethodPost:
		s.hooks.signal(w, r)
	case negotiateHub != nil:
		s.negotiate(w, r)
	case hub != nil:
		s.connect(w, r, hub)
	default:
		s.serveStatic(w, r)
	}
}

func hubKey(path string) string { return strings.ToLower(strings.TrimSuffix(path, "/")) }

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}
