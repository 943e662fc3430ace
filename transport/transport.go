// Package transport moves frames between a SignalR client and server. A Transport opens a
// Conn; the connection layer above never knows which browser or Go API carries the bytes.
// Browser implementations are the _js.go files; native ones use net/http and coder/websocket.
package transport

import (
	"context"
	"errors"

	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// Type is signalr.js's HttpTransportType: a bit mask.
type Type int

const (
	None             Type = 0
	WebSockets       Type = 1
	ServerSentEvents Type = 2
	LongPolling      Type = 4
)

func (t Type) String() string {
	switch t {
	case WebSockets:
		return "WebSockets"
	case ServerSentEvents:
		return "ServerSentEvents"
	case LongPolling:
		return "LongPolling"
	}
	return "None"
}

// ErrClosed is what Read returns after the connection closed cleanly (or was closed by us).
var ErrClosed = errors.New("transport closed")

// ForeignFrameError is a frame of the other transfer format than the connection's: a text
// frame on a binary WebSocket, or a binary frame on a text one. The connection goes on; the
// hub protocol above decides what the frame means (signalr.js's protocols refuse it, once
// its handshake part is read).
type ForeignFrameError struct{ Frame []byte }

func (e *ForeignFrameError) Error() string { return "a frame of the other transfer format" }

// Conn is one open transport connection.
type Conn interface {
	// Read blocks for the next frame. After a clean close it returns ErrClosed; after an
	// unclean one, the error that closed it, with signalr.js's text. A frame of the other
	// transfer format comes as a *ForeignFrameError, and Read can be called again.
	Read(ctx context.Context) ([]byte, error)
	// Write sends one frame in the connection's transfer format. As io.Writer's, it does not
	// keep frame: the caller may write its next frame into the same memory.
	Write(ctx context.Context, frame []byte) error
	// WriteText sends one text frame whatever the transfer format: the handshake request,
	// which signalr.js sends as a string even for a binary protocol.
	WriteText(ctx context.Context, frame []byte) error
	// Close closes the connection; a pending Read returns ErrClosed.
	Close() error
}

// Poster is a Conn whose writes are done only when the server has answered the request that
// carried them (the HTTP transports' POSTs, which join the frames queued meanwhile): Post
// queues a copy of frame and returns where that outcome arrives, nil or the request's error.
// A failed POST does not close the connection: as in signalr.js, only the sends it carried
// fail.
type Poster interface {
	Post(frame []byte) (<-chan error, error)
}

// Flusher is a Conn that joins the frames written in one turn of the event loop into one
// message (the browser's WebSocket, as signalr.js's send queue joins them): Flush sends what
// it holds at once and returns what the send threw. Such a failure does not close the
// connection: as in signalr.js, only the calls whose frames it carried fail.
type Flusher interface {
	Flush() error
}

// Receiver is a Conn that can hand its frames to a function as they arrive, in the call that
// delivered them, rather than to a Read on another goroutine (the browser's WebSocket and
// EventSource: see inbound). Read then returns only what receive did not take, in order,
// and after an error from receive a *ReceiveError with it. receive keeps no part of a frame
// after it returns: the browser's transports write the next frame in the same memory.
type Receiver interface {
	ReceiveWith(receive func(frame []byte, foreign bool) error)
}

// ReceiveError is the error a Receiver's receive function returned, as Read reports it.
type ReceiveError struct{ Err error }

func (e *ReceiveError) Error() string { return e.Err.Error() }

// Transport opens connections of one Type.
type Transport interface {
	Type() Type
	Features() Features
	// Connect opens url (already carrying id and access_token) with the given transfer format.
	Connect(ctx context.Context, url string, format protocol.TransferFormat) (Conn, error)
}

// Features are what the connection above must know of a transport, signalr.js's
// ITransport features.
type Features struct {
	// InherentKeepAlive: a poll is always pending, so neither pings nor the server timeout
	// apply (Long Polling).
	InherentKeepAlive bool
	// CloseInBackground: Close returns before the transport has closed, and Read reports the
	// end once it has (Long Polling's DELETE), as signalr.js fires onclose after it.
	CloseInBackground bool
}
