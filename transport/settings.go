package transport

import (
	"context"
	"strings"
	"time"

	"github.com/signalr-wasm/signalr-wasm/internal/logging"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// Settings are what a transport is built with, complete: the connection above hands them
// over once and never reaches into the transport afterwards.
type Settings struct {
	// HTTP sends the HTTP transports' requests with the start's headers and bearer token.
	HTTP *AccessTokenHTTPClient
	// AccessTokenFactory is asked again for each WebSocket, whose URL carries the token:
	// browsers cannot set headers on a WebSocket, and signalr.js does the same everywhere.
	AccessTokenFactory func(ctx context.Context) (string, error)
	WithCredentials    bool
	LogMessageContent  bool
	// Timeout is the page's HTTP timeout, for POST and DELETE (polls have their own).
	Timeout time.Duration
	// Logger gets the transport's lines: the connection's (HttpConnection's) logger.
	Logger logging.Logger
	// traces: Logger keeps trace lines, asked once by New. Asking means an interface
	// assertion, about a microsecond in wasm, and every frame each way would ask.
	traces bool
}

func (s *Settings) log(level logging.LogLevel, msg string) { s.Logger.Log(level, msg) }

// traceData is signalr.js's "(<name> transport) <what>. <detail>." line ("sending data",
// "data received"), formatted only when the logger keeps trace lines.
func (s *Settings) traceData(name, what string, frame []byte, format protocol.TransferFormat) {
	if s.traces {
		s.Logger.Log(logging.Trace, "("+name+" transport) "+what+". "+DataDetail(frame, format, s.LogMessageContent)+".")
	}
}

// request is one request of the transport; a binary protocol's bodies are bytes both ways.
func (s *Settings) request(method, url string, body []byte, timeout time.Duration, format protocol.TransferFormat) *Request {
	return &Request{
		Method: method, URL: url, Body: body,
		WithCredentials: s.WithCredentials, Timeout: timeout, Binary: format == protocol.Binary,
	}
}

// New builds the transport of type t, or returns nil when this environment cannot run it
// (a browser without WebSocket or EventSource).
func New(t Type, s Settings) Transport {
	if s.Logger == nil {
		s.Logger = logging.NullLogger{}
	}
	s.traces = logging.Enabled(s.Logger, logging.Trace)
	switch t {
	case WebSockets:
		return newWebSocket(s)
	case ServerSentEvents:
		if !hasEventSource() {
			return nil
		}
		return &ServerSentEventsTransport{s}
	case LongPolling:
		return &LongPollingTransport{s}
	}
	return nil
}

// AppendQuery adds name=value to url's query, after ? or &. value goes as it is: the caller
// encodes it when it must be (a connection token goes verbatim, as in signalr.js).
func AppendQuery(url, name, value string) string {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + name + "=" + value
}
