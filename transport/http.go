package transport

import (
	"context"
	"strconv"
	"time"
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
