package server

import (
	"context"
	"errors"
	"io"

	"github.com/coder/websocket"
)

// wire is one connection's transport, server side: a WebSocket, or Long Polling's requests.
type wire interface {
	// Read returns the next frame the client sent; io.EOF when the client left cleanly.
	Read(ctx context.Context) ([]byte, error)
	Write(ctx context.Context, frame []byte, binary bool) error
	// Close ends the transport cleanly; Drop as a network fault would (a WebSocket without a
	// close frame, code 1006 in the browser).
	Close() error
	Drop() error
	// inherentKeepAlive is true for Long Polling: a poll is always pending, so the server
	// neither pings nor times the client out, as ASP.NET does.
	inherentKeepAlive() bool
}

type wsWire struct{ ws *websocket.Conn }

func (w wsWire) Read(ctx context.Context) ([]byte, error) {
	_, frame, err := w.ws.Read(ctx)
	if websocket.CloseStatus(err) == websocket.StatusNormalClosure {
		return nil, io.EOF
	}
	return frame, err
}

func (w wsWire) Write(ctx context.Context, frame []byte, binary bool) error {
	kind := websocket.MessageText
	if binary {
		kind = websocket.MessageBinary
	}
	return w.ws.Write(ctx, kind, frame)
}

func (w wsWire) Close() error            { return w.ws.Close(websocket.StatusNormalClosure, "") }
func (w wsWire) Drop() error             { return w.ws.CloseNow() }
func (w wsWire) inherentKeepAlive() bool { return false }

var errWireClosed = errors.New("the transport is closed")
