package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// faults are the test switches, read from the hub URL's query so that a page asks for a
// fault just by the URL it connects to (signalr.js keeps the query on negotiate and on the
// WebSocket URL).
type faults struct {
	negotiateStatus int
	// negotiateBody is the negotiate response as is: with negotiateStatus the error body,
	// alone a 200 body.
	negotiateBody  string
	negotiateError string
	// negotiateVersionAs is how a version 1 negotiation writes its version: the JSON text
	// of another server (1.0 from a float, "1" from a string).
	negotiateVersionAs string
	negotiateDelay     time.Duration
	// holdNegotiate holds the negotiation until the page signals "release" on its hook.
	holdNegotiate  bool
	handshakeError string
	handshakeDelay time.Duration
	noHandshake    bool
	// handshakeReply is sent, as is, in place of the handshake response: a proxy's error page.
	handshakeReply string
	// hook names the connection for GET /fault/wait, which tells a page when the server got
	// somewhere with it (hooks.go), so that a test acts at that point without guessing.
	hook string
	// noPing stops the keep-alive pings, so that the client's server timeout fires.
	noPing bool
	// refuseFirst answers 503 to the first n negotiations carrying the same refuseKey: a
	// server that is down for a while, then back.
	refuseFirst int
	refuseKey   string
	// noStateful refuses stateful reconnect to a client that asks for it.
	noStateful bool
	// longPolling and serverSentEvents offer those transports beside WebSockets in
	// negotiate, in ASP.NET's order; noWebSockets refuses
	// WebSocket requests (a proxy that blocks them), so that clients fall back.
	longPolling      bool
	serverSentEvents bool
	noWebSockets     bool
	// frameEach sends each message in a WebSocket frame of its own, as some servers do,
	// instead of joining what the hub wrote meanwhile into one frame, as ASP.NET Core does.
	frameEach bool
}

func faultsOf(q url.Values) faults {
	ms := func(k string) time.Duration { return time.Duration(atoi(q.Get(k))) * time.Millisecond }
	return faults{
		negotiateStatus:    atoi(q.Get("negotiateStatus")),
		negotiateBody:      q.Get("negotiateBody"),
		negotiateError:     q.Get("negotiateError"),
		negotiateVersionAs: q.Get("negotiateVersionAs"),
		negotiateDelay:     ms("negotiateDelay"),
		holdNegotiate:      q.Get("holdNegotiate") == "1",
		handshakeError:     q.Get("handshakeError"),
		handshakeDelay:     ms("handshakeDelay"),
		noHandshake:        q.Get("noHandshake") == "1",
		handshakeReply:     q.Get("handshakeReply"),
		hook:               q.Get("hook"),
		noPing:             q.Get("noPing") == "1",
		refuseFirst:        atoi(q.Get("refuseFirst")),
		refuseKey:          q.Get("refuseKey"),
		noStateful:         q.Get("noStateful") == "1",
		longPolling:        q.Get("longPolling") == "1",
		serverSentEvents:   q.Get("serverSentEvents") == "1",
		noWebSockets:       q.Get("noWebSockets") == "1",
		frameEach:          q.Get("frameEach") == "1",
	}
}

// sleep waits d or until the request is gone.
func sleep(r *http.Request, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// refused counts a refuseFirst negotiation and tells whether to refuse it.
func (s *Server) refused(f faults) bool {
	if f.refuseFirst <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refusals[f.refuseKey] >= f.refuseFirst {
		return false
	}
	s.refusals[f.refuseKey]++
	return true
}
