package client

import (
	"context"
	"time"

	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// Options are signalr.js's IHttpConnectionOptions plus what its builder sets on HubConnection.
type Options struct {
	// URL is absolute: resolving a page-relative URL is the browser bridge's job.
	URL string
	// Transports is the HttpTransportType mask; 0 allows every transport.
	Transports      transport.Type
	SkipNegotiation bool
	Headers         map[string]string
	// AccessTokenFactory is called for negotiate and for each transport connect, as signalr.js does.
	AccessTokenFactory func(ctx context.Context) (string, error)
	WithCredentials    bool
	// HTTPTimeout is the per-request timeout of negotiate, sends and the DELETE (signalr.js
	// `timeout`): 0 is the default, 100 s; a negative one is none (signalr.js's `timeout: 0`).
	HTTPTimeout       time.Duration
	LogMessageContent bool

	// Logger gets the HubConnection's lines, HTTPLogger the connection and transport lines:
	// signalr.js keeps two loggers, and the page can tell them apart: the builder's
	// configureLogging goes to the HubConnection, withUrl's options.logger (when given) to
	// the HttpConnection and its transports (HubConnectionBuilder.ts, HttpConnection.ts in
	// dotnet/aspnetcore src/SignalR/clients/ts/signalr).
	Logger     Logger
	HTTPLogger Logger

	Protocol protocol.HubProtocol

	// ReconnectPolicy turns on automatic reconnect (withAutomaticReconnect); nil is none.
	ReconnectPolicy RetryPolicy
	// StartRetryPolicy, beyond signalr.js, retries a failing first start() (withStartRetry);
	// nil fails start() at the first error, as signalr.js does.
	StartRetryPolicy RetryPolicy

	// StatefulReconnect asks the server for stateful reconnect (withStatefulReconnect): a lost
	// WebSocket is reopened and both sides replay what the other missed, without leaving
	// Connected. StatefulReconnectBufferSize is signalr.js's bufferSize (default 100,000).
	StatefulReconnect           bool
	StatefulReconnectBufferSize int

	ServerTimeout     time.Duration
	KeepAliveInterval time.Duration

	// HTTPClient defaults to the platform's: fetch in wasm, net/http natively. The transports
	// are the platform's too (the browser's WebSocket and EventSource; coder/websocket natively).
	HTTPClient transport.HTTPClient

	// PlatformError gives the error the platform's own JS throws where the protocol package
	// found one, for what signalr.js shows of a bad negotiate or handshake response: in the
	// browser, JSON.parse's SyntaxError for a *protocol.InvalidJSONError, and the engine's own
	// words for a *protocol.DecodeError with a Fault. nil keeps err (V8's words).
	PlatformError func(err error) error

	// RunLater runs f once the caller's current call has returned. In signalr.js, stop() leaves
	// the state Disconnecting and closes the transport a microtask later, so an invocation made
	// right after stop() still goes out and is then canceled (a send fails at once: Send); the
	// browser bridge passes a microtask to keep that order. nil runs f on a new goroutine.
	RunLater func(f func())
}

const (
	defaultServerTimeout = 30 * time.Second
	defaultKeepAlive     = 15 * time.Second
	defaultHTTPTimeout   = 100 * time.Second
	defaultBufferSize    = 100_000
)

func (o *Options) setDefaults() {
	if o.Logger == nil {
		o.Logger = NullLogger{}
	}
	if o.HTTPLogger == nil {
		o.HTTPLogger = NullLogger{}
	}
	if o.Protocol == nil {
		o.Protocol = protocol.JSONProtocol{}
	}
	if o.ServerTimeout == 0 {
		o.ServerTimeout = defaultServerTimeout
	}
	if o.KeepAliveInterval == 0 {
		o.KeepAliveInterval = defaultKeepAlive
	}
	if o.StatefulReconnectBufferSize == 0 {
		o.StatefulReconnectBufferSize = defaultBufferSize
	}
	if o.HTTPTimeout == 0 {
		o.HTTPTimeout = defaultHTTPTimeout
	}
	if o.HTTPClient == nil {
		o.HTTPClient = transport.DefaultHTTPClient(o.HTTPLogger)
	}
	if o.PlatformError == nil {
		o.PlatformError = func(err error) error { return err }
	}
	if o.RunLater == nil {
		o.RunLater = func(f func()) { go f() }
	}
}
