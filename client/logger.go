package client

import "github.com/signalr-wasm/signalr-wasm/internal/logging"

// The log levels, the logger and the error text are shared by every layer (package
// internal/logging); these names keep them in the client's public API.
type (
	LogLevel    = logging.LogLevel
	Logger      = logging.Logger
	NullLogger  = logging.NullLogger
	LevelLogger = logging.LevelLogger
	// JSStringer is implemented by errors that came from JS, whose `${e}` form is not
	// "Error: "+message (a fetch TypeError prints "TypeError: Failed to fetch").
	JSStringer = logging.JSStringer
)

const (
	Trace       = logging.Trace
	Debug       = logging.Debug
	Information = logging.Information
	Warning     = logging.Warning
	Error       = logging.Error
	Critical    = logging.Critical
	None        = logging.None
)

// ErrorString is `${e}` of the JS error signalr.js would hold: "Error: <message>" for an
// error made here, JSString() for one that came from JS.
func ErrorString(err error) string { return logging.ErrorString(err) }
