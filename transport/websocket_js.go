package transport

import (
	"context"
	"errors"
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/internal/jsevents"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
	"github.com/signalr-wasm/signalr-wasm/internal/lock"
	"github.com/signalr-wasm/signalr-wasm/internal/logging"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// newWebSocket is the browser's WebSocket, driven directly: coder/websocket's wasm client
// would add about 2 MB to the wasm, and its close error does not carry the reason the
// server gave, which signalr.js's errors show.
func newWebSocket(s Settings) Transport {
	if js.Global().Get("WebSocket").Type() != js.TypeFunction {
		return nil
	}
	return &browserWebSocket{s}
}

type browserWebSocket struct{ s Settings }

func (*browserWebSocket) Type() Type { return WebSockets }

func (*browserWebSocket) Features() Features { return Features{} }

var errorEvent = js.Global().Get("ErrorEvent")

var (
	wsCtor         = js.Global().Get("WebSocket")
	uint8Array     = js.Global().Get("Uint8Array")
	queueMicrotask = js.Global().Get("queueMicrotask")
)

func (b *browserWebSocket) Connect(ctx context.Context, url string, format protocol.TransferFormat) (Conn, error) {
	url, err := b.s.webSocketURL(ctx, url)
	if err != nil {
		return nil, err
	}
	c := &browserConn{s: &b.s, inbound: newInbound(), format: format, opened: make(chan error, 1)}
	if err := jsutil.Try(func() { c.ws = wsCtor.New(url) }); err != nil {
		return nil, err
	}
	// Binary frames arrive as ArrayBuffers whatever the format (a Blob cannot be read at
	// once): a binary frame on a text connection is then read, and refused, as signalr.js
	// refuses its Blob.
	c.ws.Set("binaryType", "arraybuffer")
	c.onOpen = jsutil.FuncOf(func(js.Value, []js.Value) any {
		c.mu.Lock()
		c.isOpen, c.wasOpen = true, true
		c.mu.Unlock()
		c.opened <- nil
		return nil
	})
	c.flushTurn = jsutil.FuncOf(func(js.Value, []js.Value) any {
		c.flush()
		return nil
	})
	c.ws.Set("onopen", c.onOpen)
	c.events = jsevents.Listen(c.ws, []string{"error", "close"}, c.received)
	select {
	case err := <-c.opened:
		if err != nil {
			c.release()
			return nil, err
		}
		b.s.log(logging.Information, "WebSocket connected to "+url+".")
		return c, nil
	case <-ctx.Done():
		c.shut()
		return nil, ctx.Err()
	}
}

// browserConn queues the frames its events deliver for Read (inbound); the reason it ended
// is ErrClosed or the close error.
//
// The frames written in one turn of the event loop leave joined in one WebSocket message,
// as signalr.js's TransportSendQueue joins the sends of a turn: sent before the call from JS
// that wrote them returns (jsutil.Entry), or in a microtask.
type browserConn struct {
	closeLog
	s *Settings
	inbound
	ws     js.Value
	format protocol.TransferFormat

	events            *jsevents.Listener // messages, errors and the close
	onOpen, flushTurn js.Func
	opened            chan error

	// mu guards the open state and the turn's frames: a write takes one lock (in wasm, each
	// is several calls).
	mu lock.Mutex
	// isOpen is the socket's OPEN state as its events and Close tell it, so that a write
	// need not ask the socket; wasOpen tells a socket that failed to connect from one that closed.
	isOpen, wasOpen bool
	out             pieces // the turn's frames
	outFormat       protocol.TransferFormat
	flushing        bool // a flush is queued
	released        bool // the callbacks are gone: the queued flush releases flushTurn
}

// received is one of the socket's messages, errors or its close, in the order they came.
func (c *browserConn) received(item jsevents.Item) {
	switch {
	case item.Event.IsUndefined():
		c.push(item.Frame, item.Text != (c.format == protocol.Text))
	case item.Event.Get("type").String() == "close":
		c.closedBy(item.Event)
	default:
		text := "There was an error with the transport"
		if errorEvent.Type() == js.TypeFunction && item.Event.InstanceOf(errorEvent) {
			text = js.Global().Get("String").Invoke(item.Event.Get("error")).String()
		}
		c.s.log(logging.Information, "(WebSockets transport) "+text+".")
	}
}

func (c *browserConn) closedBy(event js.Value) {
	c.mu.Lock()
	wasOpen := c.wasOpen
	c.isOpen = false
	c.mu.Unlock()
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

// ReceiveWith has receive take the frames as they arrive (Receiver), each traced as Read
// traces it.
func (c *browserConn) ReceiveWith(receive func(frame []byte, foreign bool) error) {
	c.receiveWith(func(frame []byte, foreign bool) error {
		c.s.traceData("WebSockets", "data received", frame, c.format)
		return receive(frame, foreign)
	})
}

func (c *browserConn) Read(ctx context.Context) ([]byte, error) {
	frame, err := c.next(ctx)
	if _, ok := err.(*ReceiveError); ok {
		return nil, err
	}
	if foreign, ok := err.(*ForeignFrameError); ok {
		c.s.traceData("WebSockets", "data received", foreign.Frame, c.format)
	} else if err == nil {
		c.s.traceData("WebSockets", "data received", frame, c.format)
	} else if ctx.Err() == nil {
		c.closed(c.s)
	}
	return frame, err
}

func (c *browserConn) Write(_ context.Context, frame []byte) error { return c.write(frame, c.format) }

func (c *browserConn) WriteText(_ context.Context, frame []byte) error {
	return c.write(frame, protocol.Text)
}

func (c *browserConn) Flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sendLocked()
}

func (c *browserConn) write(frame []byte, format protocol.TransferFormat) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.isOpen {
		return errNotOpen
	}
	if !c.out.empty() && format != c.outFormat {
		// A text frame under a binary protocol (the handshake) is a message of its own.
		if err := c.sendLocked(); err != nil {
			return err
		}
	}
	c.out.append(frame)
	c.outFormat = format
	if !c.flushing {
		c.flushing = true
		if !jsutil.BeforeReturn(c.flush) {
			queueMicrotask.Invoke(c.flushTurn)
		}
	}
	return nil
}

// flush sends the turn's frames, before the call from JS that wrote them returns, or in the
// microtask write queued.
func (c *browserConn) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.flushing = false
	if c.released {
		jsutil.Release(c.flushTurn)
		return
	}
	// What is left here nobody waits on (a ping, a handler's result): the page's calls are
	// sent by their batch's Flush, which reports a throw. A socket that closed meanwhile
	// reports its close to Read.
	_ = c.sendLocked()
}

func (c *browserConn) sendLocked() error {
	if c.out.empty() {
		return nil
	}
	defer c.out.reset()
	if c.s.traces {
		// Logged per message sent, as signalr.js's WebSocketTransport logs each send of its
		// queue, once it has seen the socket open.
		if c.ws.Get("readyState").Int() != 1 {
			return errNotOpen
		}
		c.s.traceData("WebSockets", "sending data", c.out.joined(), c.outFormat)
	}
	// isOpen cannot tell a socket that is CLOSING: the browser's socket has no event for the
	// server's close frame, only for the close that follows. signalr.js reads readyState
	// before each send, and Send reads it once for the turn's message.
	var sent bool
	if err := jsutil.Try(func() { sent = jsevents.Send(c.ws, c.out.full, c.outFormat == protocol.Binary) }); err != nil {
		return err
	}
	if !sent {
		return errNotOpen
	}
	return nil
}

// Close sends what this turn wrote before it closes the socket, as signalr.js's send queue
// has sent it by the time its stop() reaches the socket.
func (c *browserConn) Close() error {
	c.shut()
	c.closed(c.s)
	return nil
}

func (c *browserConn) shut() {
	c.mu.Lock()
	_ = c.sendLocked()
	c.mu.Unlock()
	c.finish(ErrClosed)
	c.ws.Call("close")
}

// finish records why the connection ended (first reason wins) and detaches the handlers,
// as signalr.js's _close does before closing the socket.
func (c *browserConn) finish(err error) {
	if c.end(err) {
		c.release()
	}
}

func (c *browserConn) release() {
	c.events.Stop()
	c.mu.Lock()
	c.isOpen = false
	c.released = true
	c.out = pieces{}
	if !c.flushing {
		jsutil.Release(c.flushTurn)
	}
	c.mu.Unlock()
	c.ws.Set("onopen", js.Null())
	jsutil.Release(c.onOpen)
}
