//go:build !js

package transport

import (
	"context"
	"errors"
	"net/http"

	"github.com/coder/websocket"

	"github.com/signalr-wasm/signalr-wasm/internal/logging"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// newWebSocket is coder/websocket natively: the same engine is then a Go client for tests.
func newWebSocket(s Settings) Transport { return &nativeWebSocket{s} }

type nativeWebSocket struct{ s Settings }

func (*nativeWebSocket) Type() Type { return WebSockets }

func (*nativeWebSocket) Features() Features { return Features{} }

func (t *nativeWebSocket) Connect(ctx context.Context, url string, format protocol.TransferFormat) (Conn, error) {
	url, err := t.s.webSocketURL(ctx, url)
	if err != nil {
		return nil, err
	}
	c, resp, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			return nil, errors.New(wsConnectFailed)
		}
		return nil, err
	}
	c.SetReadLimit(-1)
	typ := websocket.MessageText
	if format == protocol.Binary {
		typ = websocket.MessageBinary
	}
	t.s.log(logging.Information, "WebSocket connected to "+url+".")
	ctx, cancel := context.WithCancel(context.Background())
	return &nativeConn{s: &t.s, format: format, c: c, typ: typ, ctx: ctx, cancel: cancel}, nil
}

type nativeConn struct {
	closeLog
	s      *Settings
	format protocol.TransferFormat
	c      *websocket.Conn
	typ    websocket.MessageType
	ctx    context.Context
	cancel context.CancelFunc
}

// Read returns ctx's error once ctx ends; coder/websocket then closes the connection, so
// a caller ends a read this way only when it is done with the connection.
func (n *nativeConn) Read(ctx context.Context) ([]byte, error) {
	readCtx, cancel := context.WithCancel(n.ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	typ, data, err := n.c.Read(readCtx)
	if err != nil && ctx.Err() == nil {
		defer n.closed(n.s) // the socket is gone
	}
	if err == nil {
		n.s.traceData("WebSockets", "data received", data, n.format)
		if typ != n.typ {
			return nil, &ForeignFrameError{Frame: data}
		}
		return data, nil
	}
	if n.ctx.Err() != nil {
		return nil, ErrClosed
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if ce, ok := errors.AsType[websocket.CloseError](err); ok {
		if ce.Code == websocket.StatusNormalClosure {
			return nil, ErrClosed
		}
		return nil, closeError(int(ce.Code), ce.Reason)
	}
	// The socket went away without a close frame: what a browser reports as 1006.
	return nil, closeError(int(websocket.StatusAbnormalClosure), "")
}

func (n *nativeConn) Write(ctx context.Context, frame []byte) error {
	n.s.traceData("WebSockets", "sending data", frame, n.format)
	return n.write(ctx, n.typ, frame)
}

func (n *nativeConn) WriteText(ctx context.Context, frame []byte) error {
	n.s.traceData("WebSockets", "sending data", frame, protocol.Text)
	return n.write(ctx, websocket.MessageText, frame)
}

func (n *nativeConn) write(ctx context.Context, typ websocket.MessageType, frame []byte) error {
	if n.ctx.Err() != nil {
		return errNotOpen
	}
	return n.c.Write(ctx, typ, frame)
}

func (n *nativeConn) Close() error {
	n.cancel()
	err := n.c.Close(websocket.StatusNormalClosure, "")
	n.closed(n.s)
	return err
}
