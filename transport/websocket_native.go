//go:build !js

package transport

import (
	"context"
	"errors"
	"net/http"

	"github.com/coder/websocket"

	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// DefaultWebSocket is coder/websocket natively: the same engine is then a Go client for tests.
func DefaultWebSocket() Transport { return nativeWebSocket{} }

type nativeWebSocket struct{}

func (nativeWebSocket) Type() Type { return WebSockets }

func (nativeWebSocket) Connect(ctx context.Context, url string, format protocol.TransferFormat) (Conn, error) {
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
	ctx, cancel := context.WithCancel(context.Background())
	return &nativeConn{c: c, typ: typ, ctx: ctx, cancel: cancel}, nil
}

type nativeConn struct {
	c      *websocket.Conn
	typ    websocket.MessageType
	ctx    context.Context
	cancel context.CancelFunc
}

func (n *nativeConn) Read(ctx context.Context) ([]byte, error) {
	typ, data, err := n.c.Read(n.ctx)
	if err == nil {
		if typ != n.typ {
			return nil, &ForeignFrameError{Frame: data}
		}
		return data, nil
	}
	if n.ctx.Err() != nil {
		return nil, ErrClosed
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
	return n.write(ctx, n.typ, frame)
}

func (n *nativeConn) WriteText(ctx context.Context, frame []byte) error {
	return n.write(ctx, websocket.MessageText, frame)
}

func (n *nativeConn) write(ctx context.Context, typ websocket.MessageType, frame []byte) error {
	if n.ctx.Err() != nil {
		return errors.New(wsNotOpen)
	}
	return n.c.Write(ctx, typ, frame)
}

func (n *nativeConn) Close() error {
	n.cancel()
	return n.c.Close(websocket.StatusNormalClosure, "")
}
