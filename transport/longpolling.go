package transport

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/signalr-wasm/signalr-wasm/internal/lock"
	"github.com/signalr-wasm/signalr-wasm/internal/logging"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// pollTimeout is signalr.js's timeout of one poll: the server answers well before it.
const pollTimeout = 100 * time.Second

// LongPollingTransport is signalr.js's LongPollingTransport over an HTTPClient: a GET that the
// server holds until it has messages, again and again; sends are POSTs, the end a DELETE.
// It is plain Go: fetch does the requests in the browser, net/http natively.
type LongPollingTransport struct{ Settings }

func (*LongPollingTransport) Type() Type { return LongPolling }

func (*LongPollingTransport) Features() Features {
	return Features{InherentKeepAlive: true, CloseInBackground: true}
}

// Connect makes the first poll, which the server answers at once, and starts polling.
func (t *LongPollingTransport) Connect(ctx context.Context, url string, format protocol.TransferFormat) (Conn, error) {
	t.log(logging.Trace, "(LongPolling transport) Connecting.")
	pollCtx, abort := context.WithCancel(context.Background())
	c := &pollConn{t: t, url: url, format: format, abort: abort, frames: make(chan []byte, 64), done: make(chan struct{}), polled: make(chan struct{})}
	c.sends = &postQueue{
		name: "LongPolling", settings: &t.Settings, url: url, format: format,
		running: c.isRunning,
		failed: func(err error) {
			c.fail(err)
			c.abort()
		},
	}
	resp, err := c.poll(ctx)
	if err != nil {
		abort()
		return nil, err
	}
	if resp.StatusCode != 200 {
		t.log(logging.Error, "(LongPolling transport) Unexpected response code: "+strconv.Itoa(resp.StatusCode)+".")
		c.closeErr = &HTTPError{Message: resp.StatusText, StatusCode: resp.StatusCode}
	} else {
		c.running = true
	}
	go c.pollLoop(pollCtx)
	return c, nil
}

type pollConn struct {
	t      *LongPollingTransport
	url    string
	format protocol.TransferFormat
	abort  context.CancelFunc
	frames chan []byte
	done   chan struct{} // closed once the transport has closed, after the last frame
	once   sync.Once
	polled chan struct{} // closed when polling has ended

	mu       lock.Mutex
	running  bool
	aborted  bool
	closeErr error
	sends    *postQueue
}

func (c *pollConn) poll(ctx context.Context) (*Response, error) {
	url := c.url + "&_=" + strconv.FormatInt(time.Now().UnixMilli(), 10)
	c.t.log(logging.Trace, "(LongPolling transport) polling: "+url+".")
	return c.t.HTTP.Do(ctx, c.t.request("GET", url, nil, pollTimeout, c.format))
}

func (c *pollConn) isRunning() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running
}

func (c *pollConn) fail(err error) {
	c.mu.Lock()
	c.closeErr, c.running = err, false
	c.mu.Unlock()
}

func (c *pollConn) pollLoop(ctx context.Context) {
	for c.isRunning() {
		resp, err := c.poll(ctx)
		switch {
		case err != nil && !c.isRunning():
			c.t.log(logging.Trace, "(LongPolling transport) Poll errored after shutdown: "+err.Error())
		case err != nil:
			if _, timeout := errors.AsType[*TimeoutError](err); timeout {
				c.t.log(logging.Trace, "(LongPolling transport) Poll timed out, reissuing.")
			} else {
				c.fail(err)
			}
		case resp.StatusCode == 204:
			c.t.log(logging.Information, "(LongPolling transport) Poll terminated by server.")
			c.fail(nil)
		case resp.StatusCode != 200:
			c.t.log(logging.Error, "(LongPolling transport) Unexpected response code: "+strconv.Itoa(resp.StatusCode)+".")
			c.fail(&HTTPError{Message: resp.StatusText, StatusCode: resp.StatusCode})
		case len(resp.Body) == 0:
			c.t.log(logging.Trace, "(LongPolling transport) Poll timed out, reissuing.")
		default:
			c.t.traceData("LongPolling", "data received", resp.Body, c.format)
			c.frames <- resp.Body
		}
	}
	c.t.log(logging.Trace, "(LongPolling transport) Polling complete.")
	close(c.polled)
	c.mu.Lock()
	aborted := c.aborted
	c.mu.Unlock()
	if !aborted {
		c.raiseOnClose()
	}
}

// raiseOnClose ends Read: the frames already received first, then the close.
func (c *pollConn) raiseOnClose() { c.once.Do(c.fireOnClose) }

func (c *pollConn) fireOnClose() {
	c.mu.Lock()
	err := c.closeErr
	c.mu.Unlock()
	msg := "(LongPolling transport) Firing onclose event."
	if err != nil {
		msg += " Error: " + logging.ErrorString(err)
	}
	c.t.log(logging.Trace, msg)
	close(c.done)
}

func (c *pollConn) Read(ctx context.Context) ([]byte, error) {
	select {
	case f := <-c.frames:
		return f, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.done:
	}
	select {
	case f := <-c.frames:
		return f, nil
	default:
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closeErr != nil {
		return nil, c.closeErr
	}
	return nil, ErrClosed
}

func (c *pollConn) Write(_ context.Context, frame []byte) error {
	return c.sends.push(frame, false, nil)
}

func (c *pollConn) WriteText(_ context.Context, frame []byte) error {
	return c.sends.push(frame, true, nil)
}

func (c *pollConn) Post(frame []byte) (<-chan error, error) { return c.sends.post(frame) }

// Close stops polling and says goodbye with a DELETE, in the background: Read reports the
// close once that is done, as signalr.js's stop() fires onclose after its DELETE.
func (c *pollConn) Close() error {
	c.mu.Lock()
	if c.aborted {
		c.mu.Unlock()
		return nil
	}
	c.aborted, c.running = true, false
	c.mu.Unlock()
	c.t.log(logging.Trace, "(LongPolling transport) Stopping polling.")
	c.abort()
	go func() {
		defer c.raiseOnClose()
		defer c.t.log(logging.Trace, "(LongPolling transport) Stop finished.")
		<-c.polled
		c.t.log(logging.Trace, "(LongPolling transport) sending DELETE request to "+c.url+".")
		_, err := c.t.HTTP.Do(context.Background(), c.t.request("DELETE", c.url, nil, c.t.Timeout, c.format))
		he, isHTTP := errors.AsType[*HTTPError](err)
		switch {
		case err == nil:
			c.t.log(logging.Trace, "(LongPolling transport) DELETE request accepted.")
		case isHTTP && he.StatusCode == 404:
			c.t.log(logging.Trace, "(LongPolling transport) A 404 response was returned from sending a DELETE request.")
		case isHTTP:
			c.t.log(logging.Trace, "(LongPolling transport) Error sending a DELETE request: "+logging.ErrorString(err))
		}
	}()
	return nil
}
