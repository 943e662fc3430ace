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
// The lower-level methods (Invoke, Send, StreamAsync, On with a Handler, StreamIDs,
// SendStreamItem, CompleteStream) take arguments already encoded and report through
// callbacks: the shape the browser bridge (package jsapi) needs, where every call comes from
// JavaScript and must not block.
package client
