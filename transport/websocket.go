package transport

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/signalr-wasm/signalr-wasm/internal/logging"
)

// webSocketURL is where a WebSocket connects: url with the access token in its query, and
// ws(s) for http(s).
func (s *Settings) webSocketURL(ctx context.Context, url string) (string, error) {
	s.log(logging.Trace, "(WebSockets transport) Connecting.")
	if s.AccessTokenFactory != nil {
		token, err := s.AccessTokenFactory(ctx)
		if err != nil {
			return "", err
		}
		if token != "" {
			url = AppendQuery(url, "access_token", EncodeURIComponent(token))
		}
	}
	if strings.HasPrefix(url, "http") {
		url = "ws" + url[len("http"):]
	}
	return url, nil
}

// wsConnectFailed is signalr.js's text for a WebSocket that closed before it opened: the
// browser tells nothing more (no status code), so neither can we.
const wsConnectFailed = "WebSocket failed to connect. The connection could not be found on the server," +
	" either the endpoint may not be a SignalR endpoint," +
	" the connection ID is not present on the server, or there is a proxy blocking WebSockets." +
	" If you have multiple servers check that sticky sessions are enabled."

// errNotOpen is what signalr.js rejects a send with when the socket is not open: a string,
// not an Error.
const errNotOpen = TextError("WebSocket is not in the OPEN state")

// TextError is an error that signalr.js gives as a plain string, not an Error (a page's
// `e.message` is then undefined): errNotOpen, and the "<transport> failed:" entries of
// AggregateErrors' innerErrors (client.TextError).
type TextError string

func (e TextError) Error() string    { return string(e) }
func (e TextError) JSString() string { return string(e) }

// closeError is signalr.js's error for a socket that closed uncleanly or with a code other than 1000.
func closeError(code int, reason string) error {
	if reason == "" {
		reason = "no reason given"
	}
	return &CloseError{Code: code, Reason: reason}
}

// CloseError is a WebSocket closed with a status other than a clean 1000.
type CloseError struct {
	Code   int
	Reason string
}

func (e *CloseError) Error() string {
	return "WebSocket closed with status code: " + strconv.Itoa(e.Code) + " (" + e.Reason + ")."
}

// closeLog writes signalr.js's "socket closed" trace line once per socket: when the client
// closes it, or when Read reports that it closed.
type closeLog struct {
	once sync.Once
}

func (l *closeLog) closed(s *Settings) {
	l.once.Do(func() { s.log(logging.Trace, "(WebSockets transport) socket closed.") })
}
