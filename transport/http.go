package transport

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/signalr-wasm/signalr-wasm/internal/lock"
	"github.com/signalr-wasm/signalr-wasm/internal/logging"
)

// Request is one HTTP request of the connection layer: negotiate, and Long Polling's polls,
// sends and DELETE.
type Request struct {
	Method          string
	URL             string
	Headers         map[string]string
	Body            []byte
	WithCredentials bool
	// Timeout is signalr.js's `timeout` option; 0 is none.
	Timeout time.Duration
	// Binary bodies (a binary protocol over Long Polling) are bytes, not text, both ways:
	// signalr.js's responseType "arraybuffer".
	Binary bool
}

// Response is a completed HTTP exchange with a 2xx status; other statuses are an *HTTPError.
type Response struct {
	StatusCode int
	StatusText string
	Body       []byte
}

// HTTPClient sends requests: fetch in the browser, net/http natively.
type HTTPClient interface {
	Do(ctx context.Context, req *Request) (*Response, error)
}

// HTTPError is signalr.js's HttpError: a non-2xx response.
type HTTPError struct {
	// Message is the response body, or the status text when the body is empty.
	Message    string
	StatusCode int
}

func (e *HTTPError) Error() string {
	return e.Message + ": Status code '" + strconv.Itoa(e.StatusCode) + "'"
}

// timeoutLine is what signalr.js's HTTP clients log, as a warning, when a request times out.
const timeoutLine = "Timeout from HTTP request."

// logRequestError logs, as signalr.js's HTTP clients do, a request that got no response
// (in the browser, fetch's TypeError), neither aborted nor timed out.
func logRequestError(log logging.Logger, err error) {
	log.Log(logging.Warning, "Error from HTTP request. "+logging.ErrorString(err)+".")
}

// TimeoutError is signalr.js's TimeoutError.
type TimeoutError struct{ Message string }

func (e *TimeoutError) Error() string {
	if e.Message == "" {
		return "A timeout occurred."
	}
	return e.Message
}

// AbortError is signalr.js's AbortError.
type AbortError struct{ Message string }

func (e *AbortError) Error() string {
	if e.Message == "" {
		return "An abort occurred."
	}
	return e.Message
}

// AccessTokenHTTPClient is signalr.js's AccessTokenHttpClient: it puts the headers of every
// request (the user agent, the page's headers) and the bearer token negotiate got on each
// request it sends without headers of its own. One is made per start, so that the token of
// one start never leaks into another's transports.
type AccessTokenHTTPClient struct {
	HTTPClient
	Headers map[string]string
	// Refresh, when set, is the access token factory: a request other than negotiate that is
	// answered 401 (by a page's own client: the browser's fetch fails it) is sent once more
	// with a new token, as signalr.js's AccessTokenHttpClient does.
	Refresh func(context.Context) (string, error)

	mu    lock.Mutex
	token string
}

// SetToken records the token the access token factory gave for negotiate.
func (c *AccessTokenHTTPClient) SetToken(token string) {
	c.mu.Lock()
	c.token = token
	c.mu.Unlock()
}

// Token is the bearer token, "" for none: the event stream's URL carries it (an EventSource
// takes no headers).
func (c *AccessTokenHTTPClient) Token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// RequestHeaders are the headers, with the bearer token if there is one.
func (c *AccessTokenHTTPClient) RequestHeaders() map[string]string {
	headers := make(map[string]string, len(c.Headers)+1)
	for k, v := range c.Headers {
		headers[k] = v
	}
	if token := c.Token(); token != "" {
		headers["Authorization"] = "Bearer " + token
	}
	return headers
}

func (c *AccessTokenHTTPClient) Do(ctx context.Context, req *Request) (*Response, error) {
	own := req.Headers != nil
	if !own {
		r := *req
		r.Headers = c.RequestHeaders()
		req = &r
	}
	resp, err := c.HTTPClient.Do(ctx, req)
	if err != nil || resp.StatusCode != 401 || c.Refresh == nil || own || strings.Contains(req.URL, "/negotiate?") {
		return resp, err
	}
	token, err := c.Refresh(ctx)
	if err != nil {
		return nil, err
	}
	c.SetToken(token)
	req.Headers = c.RequestHeaders()
	return c.HTTPClient.Do(ctx, req)
}
