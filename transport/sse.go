package transport

import (
	"context"
	"errors"
	"io"

	"github.com/signalr-wasm/signalr-wasm/internal/lock"
	"github.com/signalr-wasm/signalr-wasm/internal/logging"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// ServerSentEventsTransport is signalr.js's ServerSentEventsTransport: messages come down an
// event stream (the browser's EventSource; net/http natively), sends are POSTs. Text only.
type ServerSentEventsTransport struct{ Settings }

func (*ServerSentEventsTransport) Type() Type { return ServerSentEvents }

func (*ServerSentEventsTransport) Features() Features { return Features{} }

// eventStream is one open event stream: Next blocks for a message's data; it returns io.EOF
// once the stream ended on its own, ErrClosed once closed here, and ctx's error once ctx ends
// (the stream goes on). receiveWith has receive take the messages from then on in the call
// that delivered them, where the stream can (the browser's EventSource, through inbound;
// net/http's leaves them all to Next); Next then returns receive's error as a *ReceiveError.
type eventStream interface {
	Next(ctx context.Context) ([]byte, error)
	Close()
	receiveWith(receive func(frame []byte, foreign bool) error)
}

var errEventSourceFailed = errors.New("EventSource failed to connect. The connection could not be found on the server," +
	" either the connection ID is not present on the server, or a proxy is refusing/buffering the connection." +
	" If you have multiple servers check that sticky sessions are enabled.")

func (t *ServerSentEventsTransport) Connect(ctx context.Context, url string, format protocol.TransferFormat) (Conn, error) {
	t.log(logging.Trace, "(SSE transport) Connecting.")
	streamURL := url
	if token := t.HTTP.Token(); token != "" {
		streamURL = AppendQuery(url, "access_token", EncodeURIComponent(token))
	}
	if format != protocol.Text {
		return nil, errors.New("The Server-Sent Events transport only supports the 'Text' transfer format")
	}
	es, err := openEventSource(ctx, streamURL, t.WithCredentials, t.HTTP.RequestHeaders())
	if err != nil {
		return nil, err
	}
	t.log(logging.Information, "SSE connected to "+url)
	c := &eventConn{t: t, es: es, open: true}
	c.sends = &postQueue{
		name: "SSE", settings: &t.Settings, url: url, format: format,
		running: c.isOpen,
		failed: func(err error) {
			c.mu.Lock()
			c.failure = err
			c.mu.Unlock()
			c.Close()
		},
	}
	return c, nil
}

type eventConn struct {
	t     *ServerSentEventsTransport
	es    eventStream
	sends *postQueue

	mu      lock.Mutex
	open    bool
	failure error // the handshake's POST that failed, which closed the transport
}

func (c *eventConn) isOpen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.open
}

// Read returns the next message. A stream that ends or errors after it opened closes the
// transport without an error, as signalr.js's onerror does.
func (c *eventConn) Read(ctx context.Context) ([]byte, error) {
	data, err := c.es.Next(ctx)
	if _, ok := err.(*ReceiveError); ok {
		return nil, err // the receiver's own error: the transport is as it was
	}
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		c.mu.Lock()
		c.open = false
		failure := c.failure
		c.mu.Unlock()
		if failure != nil {
			return nil, failure
		}
		if errors.Is(err, io.EOF) {
			return nil, ErrClosed
		}
		return nil, err
	}
	c.t.traceData("SSE", "data received", data, protocol.Text)
	return data, nil
}

// ReceiveWith has receive take the messages as they arrive, each traced as Read traces it,
// where the stream can hand them over (Receiver): in the browser, as a WebSocket does, so
// that a message does not wait for the reader's goroutine.
func (c *eventConn) ReceiveWith(receive func(frame []byte, foreign bool) error) {
	c.es.receiveWith(func(frame []byte, foreign bool) error {
		c.t.traceData("SSE", "data received", frame, protocol.Text)
		return receive(frame, foreign)
	})
}

func (c *eventConn) Write(_ context.Context, frame []byte) error {
	return c.sends.push(frame, false, nil)
}

func (c *eventConn) WriteText(_ context.Context, frame []byte) error {
	return c.sends.push(frame, true, nil)
}

func (c *eventConn) Post(frame []byte) (<-chan error, error) { return c.sends.post(frame) }

func (c *eventConn) Close() error {
	c.mu.Lock()
	c.open = false
	c.mu.Unlock()
	c.es.Close()
	return nil
}
