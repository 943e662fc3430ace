package server

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// pending is a negotiated connection: its transport has not arrived yet, or, under stateful
// reconnect, it is live and its token lets the client bring a new WebSocket.
type pending struct {
	id       string
	created  time.Time
	used     bool
	stateful bool
	live     *conn
	poll     *pollWire  // the Long Polling transport of this connection
	events   *eventWire // or its Server-Sent Events transport
}

// negotiate answers POST {hub}/negotiate. Version 1 hands out a secret token beside the
// public id; version 0 (no negotiateVersion) uses the id as the token, as ASP.NET does.
func (s *Server) negotiate(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST requests are required for negotiate.", http.StatusMethodNotAllowed)
		return
	}
	f := faultsOf(r.URL.Query())
	s.hooks.happened(f.hook, "negotiate")
	if f.holdNegotiate {
		s.hooks.await(r.Context(), f.hook, "release")
	}
	sleep(r, f.negotiateDelay)
	if s.refused(f) {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if f.negotiateStatus != 0 {
		body := f.negotiateBody
		if body == "" {
			// An empty body makes fetch clients fall back to the status text.
			w.WriteHeader(f.negotiateStatus)
			return
		}
		http.Error(w, body, f.negotiateStatus)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if f.negotiateBody != "" {
		_, _ = w.Write([]byte(f.negotiateBody))
		return
	}
	if f.negotiateError != "" {
		_ = json.NewEncoder(w).Encode(map[string]string{"error": f.negotiateError})
		return
	}
	version := 0
	if r.URL.Query().Get("negotiateVersion") != "" {
		version = 1
	}
	id := newID()
	resp := protocol.NegotiateResponse{
		ConnectionID:        id,
		NegotiateVersion:    version,
		AvailableTransports: []protocol.AvailableTransport{{Transport: "WebSockets", TransferFormats: []string{"Text", "Binary"}}},
	}
	if f.serverSentEvents || s.opts.ServerSentEvents {
		resp.AvailableTransports = append(resp.AvailableTransports, protocol.AvailableTransport{Transport: "ServerSentEvents", TransferFormats: []string{"Text"}})
	}
	if f.longPolling || s.opts.LongPolling {
		resp.AvailableTransports = append(resp.AvailableTransports, protocol.AvailableTransport{Transport: "LongPolling", TransferFormats: []string{"Text", "Binary"}})
	}
	token := id
	if version == 1 {
		token = newID()
		resp.ConnectionToken = token
	}
	stateful := s.opts.AllowStatefulReconnects && !f.noStateful && r.URL.Query().Get("useStatefulReconnect") == "true"
	resp.UseStatefulReconnect = stateful
	s.mu.Lock()
	s.expireTokensLocked()
	s.tokens[token] = &pending{id: id, created: time.Now(), stateful: stateful}
	s.mu.Unlock()
	body, _ := json.Marshal(resp)
	if version == 1 && f.negotiateVersionAs != "" {
		body = bytes.Replace(body, []byte(`"negotiateVersion":1`), []byte(`"negotiateVersion":`+f.negotiateVersionAs), 1)
	}
	_, _ = w.Write(append(body, '\n'))
}

// tokenLifetime bounds how long an unused negotiation is kept.
const tokenLifetime = 2 * time.Minute

func (s *Server) expireTokensLocked() {
	for token, p := range s.tokens {
		if !p.used && time.Since(p.created) > tokenLifetime {
			delete(s.tokens, token)
		}
	}
}

// claimToken returns the negotiation of a token, or the HTTP status that refuses it: 404
// unknown, 409 already connected. A live stateful connection can be claimed again: that is
// its client reconnecting.
func (s *Server) claimToken(token string) (*pending, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.tokens[token]
	if p == nil {
		return nil, http.StatusNotFound
	}
	if p.used && p.live == nil {
		return nil, http.StatusConflict
	}
	p.used = true
	return p, 0
}

// goLive makes a connection's token reconnectable, once its handshake asked for stateful
// reconnect.
func (s *Server) goLive(c *conn) {
	s.mu.Lock()
	if p := s.tokens[c.token]; p != nil {
		p.live = c
	}
	s.mu.Unlock()
}

// newID is ASP.NET's shape: 16 random bytes, base64url, 22 characters.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
