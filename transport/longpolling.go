package transport

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// LogFunc receives a transport's log lines; level is signalr.js's LogLevel number.
type LogFunc func(level int, message string)

// The LogLevel numbers the transports log at.
const (
	LogTrace       = 0
	LogInformation = 2
	LogError       = 4
)

// pollTimeout is signalr.js's timeout of one poll: the server answers well before it.
const pollTimeout = 100 * time.Second

// HTTPSettings are what the HTTP transports (Long Polling, Server-Sent Events) send their
// requests with.
type HTTPSettings struct {
	HTTP HTTPClient
	// Headers go on every request: the user agent, the page's headers, and the bearer token
	// (signalr.js's AccessTokenHttpClient puts the token in a header for HTTP transports).
	// Token is that token again, for the event stream's URL (an EventSource takes no headers).
	Headers           map[string]string
	Token             string
	WithCredentials   bool
	LogMessageContent bool
	// Timeout is the page's HTTP timeout, for POST and DELETE (polls have their own).
	Timeout time.Duration
	Log     LogFunc
}

// Settings lets the connection fill in the headers and the token before it connects.
func (s *HTTPSettings) Settings() *HTTPSettings { return s }

// request is one request of the transport; a binary protocol's bodies are bytes both ways.
func (s *HTTPSettings) request(method, url string, body []byte, timeout time.Duration, format protocol.TransferFormat) *Request {
	return &Request{
		Method: method, URL: url, Body: body, Headers: s.Headers,
		WithCredentials: s.WithCredentials, Timeout: timeout, Binary: format == protocol.Binary,
	}
}

// LongPollingTransport is signalr.js's LongPollingTransport over an HTTPClient: a GET that the
// server holds until it has messages, again and again; sends are POSTs, the end a DELETE.
// It is plain Go: fetch does the requests in the browser, net/http natively.
type LongPollingTransport struct{ HTTPSettings }

func (*LongPollingTransport) Type() Type { return LongPolling }

// Connect makes the first poll, which the server answers at once, and starts polling.
func (t *LongPollingTransport) Connect(ctx context.Context, url string, format protocol.TransferFormat) (Conn, error) {
	t.Log(LogTrace, "(LongPolling transport) Connecting.")
	pollCtx, abort := context.WithCancel(context.Background())
	c := &pollConn{t: t, url: url, format: format, abort: abort, frames: make(chan []byte, 64), done: make(chan struct{}), polled: make(chan struct{})}
	c.sends = &postQueue{
		name: "LongPolling", settings: &t.HTTPSettings, url: url, format: format,
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
		t.Log(LogError, "(LongPolling transport) Unexpected response code: "+strconv.Itoa(resp.StatusCode)+".")
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

	mu       sync.Mutex
	running  bool
	aborted  bool
	closeErr error
	sends    *postQueue
}

func (c *pollConn) poll(ctx context.Context) (*Response, error) {
	url := c.url + "&_=" + strconv.FormatInt(time.Now().UnixMilli(), 10)
	c.t.Log(LogTrace, "(LongPolling transport) polling: "+url+".")
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
			c.t.Log(LogTrace, "(LongPolling transport) Poll errored after shutdown: "+err.Error())
		case err != nil:
			if _, timeout := errors.AsType[*TimeoutError](err); timeout {
				c.t.Log(LogTrace, "(LongPolling transport) Poll timed out, reissuing.")
			} else {
				c.fail(err)
			}
		case resp.StatusCode == 204:
			c.t.Log(LogInformation, "(LongPolling transport) Poll terminated by server.")
			c.fail(nil)
		case resp.StatusCode != 200:
			c.t.Log(LogError, "(LongPolling transport) Unexpected response code: "+strconv.Itoa(resp.StatusCode)+".")
			c.fail(&HTTPError{Message: resp.StatusText, StatusCode: resp.StatusCode})
		case len(resp.Body) == 0:
			c.t.Log(LogTrace, "(LongPolling transport) Poll timed out, reissuing.")
		default:
			c.t.Log(LogTrace, "(LongPolling transport) data received. "+DataDetail(resp.Body, c.format, c.t.LogMessageContent)+".")
			c.frames <- resp.Body
		}
	}
	c.t.Log(LogTrace, "(LongPolling transport) Polling complete.")
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
		msg += " Error: " + jsErrorString(err)
	}
	c.t.Log(LogTrace, msg)
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

func (c *pollConn) Write(_ context.Context, frame []byte) error { return c.sends.push(frame) }

// WriteText is Write: a POST body carries text and binary alike.
func (c *pollConn) WriteText(ctx context.Context, frame []byte) error { return c.Write(ctx, frame) }

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
	c.t.Log(LogTrace, "(LongPolling transport) Stopping polling.")
	c.abort()
	go func() {
		defer c.raiseOnClose()
		defer c.t.Log(LogTrace, "(LongPolling transport) Stop finished.")
		<-c.polled
		c.t.Log(LogTrace, "(LongPolling transport) sending DELETE request to "+c.url+".")
		_, err := c.t.HTTP.Do(context.Background(), c.t.request("DELETE", c.url, nil, c.t.Timeout, c.format))
		he, isHTTP := errors.AsType[*HTTPError](err)
		switch {
		case err == nil:
			c.t.Log(LogTrace, "(LongPolling transport) DELETE request accepted.")
		case isHTTP && he.StatusCode == 404:
			c.t.Log(LogTrace, "(LongPolling transport) A 404 response was returned from sending a DELETE request.")
		case isHTTP:
			c.t.Log(LogTrace, "(LongPolling transport) Error sending a DELETE request: "+jsErrorString(err))
		}
	}()
	return nil
}

// jsErrorString is `${e}` for the transport's own errors, which signalr.js's classes print as
// "Error: <message>".
func jsErrorString(err error) string { return "Error: " + err.Error() }
