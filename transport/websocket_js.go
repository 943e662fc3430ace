package transport

import (
	"context"
	"errors"
	"sync"
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/jsapi/jsutil"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// DefaultWebSocket is the browser's WebSocket, driven directly: coder/websocket's wasm
// client would add 2 MB and loses the server's close code and reason (go-wasm.md §5).
func DefaultWebSocket() Transport {
	if js.Global().Get("WebSocket").Type() != js.TypeFunction {
		return nil
	}
	return browserWebSocket{}
}

type browserWebSocket struct{ log LogFunc }

func (browserWebSocket) Type() Type { return WebSockets }

// Logging gives the transport the connection's logger, for the line signalr.js logs when the
// WebSocket reports an error.
func (browserWebSocket) Logging(log LogFunc) Transport { return browserWebSocket{log: log} }

var errorEvent = js.Global().Get("ErrorEvent")

var (
	wsCtor     = js.Global().Get("WebSocket")
	uint8Array = js.Global().Get("Uint8Array")
)

func (b browserWebSocket) Connect(ctx context.Context, url string, format protocol.TransferFormat) (Conn, error) {
	c := &browserConn{inbound: newInbound(), format: format, opened: make(chan error, 1)}
	if err := jsutil.Try(func() { c.ws = wsCtor.New(url) }); err != nil {
		return nil, err
	}
	if format == protocol.Binary {
		c.ws.Set("binaryType", "arraybuffer")
	}
	c.onOpen = jsutil.FuncOf(func(js.Value, []js.Value) any {
		c.openMu.Lock()
		c.isOpen = true
		c.openMu.Unlock()
		c.opened <- nil
		return nil
	})
	c.onMessage = jsutil.FuncOf(func(_ js.Value, args []js.Value) any {
		c.receive(args[0].Get("data"))
		return nil
	})
	c.onClose = jsutil.FuncOf(func(_ js.Value, args []js.Value) any {
		c.closedBy(args[0])
		return nil
	})
	c.onError = jsutil.FuncOf(func(_ js.Value, args []js.Value) any {
		if b.log != nil {
			text := "There was an error with the transport"
			if errorEvent.Type() == js.TypeFunction && args[0].InstanceOf(errorEvent) {
				text = js.Global().Get("String").Invoke(args[0].Get("error")).String()
			}
			b.log(LogInformation, "(WebSockets transport) "+text+".")
		}
		return nil
	})
	c.ws.Set("onerror", c.onError)
	c.ws.Set("onopen", c.onOpen)
	c.ws.Set("onmessage", c.onMessage)
	c.ws.Set("onclose", c.onClose)

	select {
	case err := <-c.opened:
		if err != nil {
			c.release()
			return nil, err
		}
		return c, nil
	case <-ctx.Done():
		c.Close()
		return nil, ctx.Err()
	}
}

// browserConn queues frames from onmessage for Read (inbound); the reason it ended is
// ErrClosed or the close error.
type browserConn struct {
	inbound
	ws     js.Value
	format protocol.TransferFormat

	onOpen, onMessage, onClose, onError js.Func
	opened                              chan error

	openMu sync.Mutex
	isOpen bool
}

func (c *browserConn) receive(data js.Value) {
	var frame []byte
	if data.Type() == js.TypeString {
		frame = []byte(data.String())
	} else {
		view := uint8Array.New(data)
		frame = make([]byte, view.Get("length").Int())
		js.CopyBytesToGo(frame, view)
	}
	c.push(frame)
}

func (c *browserConn) closedBy(event js.Value) {
	c.openMu.Lock()
	wasOpen := c.isOpen
	c.openMu.Unlock()
	if !wasOpen {
		c.opened <- errors.New(wsConnectFailed)
		return
	}
	code := event.Get("code").Int()
	if !event.Get("wasClean").Bool() || code != 1000 {
		c.finish(closeError(code, event.Get("reason").String()))
		return
	}
	c.finish(ErrClosed)
}

func (c *browserConn) Read(ctx context.Context) ([]byte, error) { return c.next(ctx) }

func (c *browserConn) Write(_ context.Context, frame []byte) error {
	return c.write(frame, c.format)
}

func (c *browserConn) WriteText(_ context.Context, frame []byte) error {
	return c.write(frame, protocol.Text)
}

func (c *browserConn) write(frame []byte, format protocol.TransferFormat) error {
	if c.ws.Get("readyState").Int() != 1 {
		return errors.New(wsNotOpen)
	}
	return jsutil.Try(func() {
		if format == protocol.Binary {
			view := uint8Array.New(len(frame))
			js.CopyBytesToJS(view, frame)
			c.ws.Call("send", view)
		} else {
			c.ws.Call("send", string(frame))
		}
	})
}

func (c *browserConn) Close() error {
	c.finish(ErrClosed)
	c.ws.Call("close")
	return nil
}

// finish records why the connection ended (first reason wins) and detaches the handlers,
// as signalr.js's _close does before closing the socket.
func (c *browserConn) finish(err error) {
	if c.end(err) {
		c.release()
	}
}

func (c *browserConn) release() {
	for _, name := range []string{"onopen", "onmessage", "onclose", "onerror"} {
		c.ws.Set(name, js.Null())
	}
	jsutil.Release(c.onOpen)
	jsutil.Release(c.onMessage)
	jsutil.Release(c.onClose)
	jsutil.Release(c.onError)
}
