package client

import (
	"errors"

	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// The error types below carry the class names signalr.js throws, so that the bridge can
// rebuild the same JS classes (`err.errorType`, `instanceof`).

// FailedToNegotiateError is signalr.js's FailedToNegotiateWithServerError.
type FailedToNegotiateError struct{ Message string }

func (e *FailedToNegotiateError) Error() string { return e.Message }

// FailedToStartTransportError records one transport that could not connect.
type FailedToStartTransportError struct {
	Message   string
	Transport transport.Type
}

func (e *FailedToStartTransportError) Error() string { return e.Message }

// DisabledTransportError is a transport the server offers but the client's mask excludes.
type DisabledTransportError struct {
	Message   string
	Transport transport.Type
}

func (e *DisabledTransportError) Error() string { return e.Message }

// UnsupportedTransportError is a transport this environment cannot run.
type UnsupportedTransportError struct {
	Message   string
	Transport transport.Type
}

func (e *UnsupportedTransportError) Error() string { return e.Message }

// AggregateError is signalr.js's AggregateErrors: every transport failed. Errors are its
// innerErrors, TextError entries included.
type AggregateError struct {
	Message string
	Errors  []error
}

// TextError is an error signalr.js gives as a plain string: among AggregateErrors'
// innerErrors, "<transport> failed:" before the error of a transport it skipped.
type TextError = transport.TextError

func (e *AggregateError) Error() string { return e.Message }

var (
	errNotConnected       = errors.New("Cannot send data if the connection is not in the 'Connected' State.")
	errStartNotDisconnect = errors.New("Cannot start a HubConnection that is not in the 'Disconnected' state.")
	errConnectionClosed   = errors.New("Connection closed.")
	errInvocationCanceled = errors.New("Invocation canceled due to the underlying connection being closed.")
	errServerTimeout      = errors.New("Server timeout elapsed without receiving a message from the server.")
	errSkipNegotiation    = errors.New("Negotiation can only be skipped when using the WebSocket transport directly.")
	errNoTransports       = errors.New("None of the transports supported by the client are supported by the server.")
	errRedirectLimit      = errors.New("Negotiate redirection limit exceeded.")
	errASPNETSignalR      = errors.New("Detected a connection attempt to an ASP.NET SignalR Server. This client only supports connecting to an ASP.NET Core SignalR Server. See https://aka.ms/signalr-core-differences for details.")

	errStoppedDuringNegotiation = &transport.AbortError{Message: "The connection was stopped during negotiation."}
	errStoppedBeforeHandshake   = &transport.AbortError{Message: "The connection was stopped before the hub handshake could complete."}
	errClosedBeforeHandshake    = &transport.AbortError{Message: "The underlying connection was closed before the hub handshake could complete."}
	errStoppedDuringStart       = &transport.AbortError{Message: "Failed to start the HttpConnection before stop() was called."}
)

// foreignFrameError is what signalr.js's hub protocols throw for a frame of the other kind:
// the JSON protocol parses only strings, the MessagePack one only ArrayBuffers.
func foreignFrameError(format protocol.TransferFormat) error {
	if format == protocol.Binary {
		return errors.New("Invalid input for MessagePack hub protocol. Expected an ArrayBuffer.")
	}
	return errors.New("Invalid input for JSON hub protocol. Expected a string.")
}
