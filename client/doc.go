// Package client is a SignalR client for Go programs, and the engine of signalr-wasm's
// browser client: negotiate, transport selection (WebSockets, Server-Sent Events, Long
// Polling), the handshake, the connection state machine, invocations, streams both ways,
// handlers, keep-alive and server timeout, automatic and stateful reconnect, with
// signalr.js's behaviour and texts, over the JSON hub protocol or MessagePack
// (Options.Protocol: protocol.MessagePackProtocol{}). It is plain Go: natively it speaks
// through net/http and github.com/coder/websocket.
//
// A connection is made with New and an Options (its URL is the hub's absolute URL), then
// Start, and ended with Stop:
//
//	c, err := client.New(client.Options{URL: "http://localhost:5000/chathub"})
//	...
//	err = c.Start(ctx)
//	defer c.Stop()
//
// Go programs call it with Go values, which the connection encodes with its protocol:
//
//   - Call invokes a hub method and decodes its result; SendValues invokes without waiting
//     for the method's end.
//   - Stream ranges over a server-to-client stream: for item, err := range client.Stream[T](...).
//     Leaving the loop early cancels the stream on the server.
//   - A channel among the arguments of Call, SendValues or Stream is a client-to-server
//     stream: its values are sent as they come, and closing it completes the stream.
//   - Handle registers a func for a client method the server calls; its return value answers
//     a server that waits for a result.
//   - Options.ReconnectPolicy (RetryDelays, or a RetryPolicy of your own) reconnects a lost
//     connection; OnReconnecting, OnReconnected and OnClose tell what happens.
//
// Two layers, as in signalr.js. HubConnection (hubconnection.go) is the hub: its state
// machine, invocations, handlers, keep-alive and automatic reconnect. Below it, behind the
// small connection interface (connection.go), httpConnection is signalr.js's HttpConnection:
// negotiate and redirects (negotiate.go), the choice of a transport and the fallback to the
// next (connect.go), and the transport session (session.go), which owns the read loop, the
// hub's timers for that transport and stateful reconnect's Ack timer, and which one close
// cancels; Stop returns once they have ended. The transports themselves are package
// transport.
//
// Where a message goes. An Invoke (or InvokeAsync, Send, StreamAsync) registers its
// completion callback by invocation id (invocations.go), encodes the message with the
// protocol and hands the frame to the connection's protocol.Link, which writes it to the
// session's transport.Conn under its write lock (and, under stateful reconnect, keeps it
// until the server's Ack). Frames come back through the session's read loop (or, from a
// transport.Receiver, straight from the call that delivered them) to the hub's side of
// the session (hubsession.go): the handshake response first, then every message goes
// through the link (replayed duplicates dropped, Acks sent) to dispatch (receive.go), which
// completes the invocation by id, calls the handlers (handlers.go), or ends the connection
// on a Close. Every frame sent moves the keep-alive deadline and every frame received the
// server timeout (keepalive.go). A transport lost while connected is resumed by the
// connection (stateful reconnect) or closes the session, and the hub then reconnects
// (reconnect.go) or closes (hubconnection.go).
//
// The lower-level methods (Invoke, Send, StreamAsync, On with a Handler, StreamIDs,
// SendStreamItem, CompleteStream) take arguments already encoded and report through
// callbacks: the shape the browser bridge (package jsapi) needs, where every call comes from
// JavaScript and must not block.
package client
