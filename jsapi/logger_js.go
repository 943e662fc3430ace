package jsapi

import (
	"syscall/js"
	"time"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

var console = js.Global().Get("console")

// consoleLogger is signalr.js's ConsoleLogger: same line format, same console method per level.
type consoleLogger struct{ min client.LogLevel }

func (l consoleLogger) Enabled(level client.LogLevel) bool { return level >= l.min }

func (l consoleLogger) Log(level client.LogLevel, message string) {
	if level < l.min {
		return
	}
	flushDeliveries()
	line := "[" + time.Now().UTC().Format("2006-01-02T15:04:05.000Z") + "] " + level.String() + ": " + message
	method := "log"
	switch level {
	case client.Critical, client.Error:
		method = "error"
	case client.Warning:
		method = "warn"
	case client.Information:
		method = "info"
	}
	console.Call(method, line)
}

// pageLogger forwards to an ILogger the page gave; a logger that throws must not break the connection.
type pageLogger struct{ logger js.Value }

func (l pageLogger) Log(level client.LogLevel, message string) {
	flushDeliveries()
	_ = jsutil.Try(func() { l.logger.Call("log", int(level), message) })
}

// loggerFrom is signalr.js's createLogger: undefined → ifUndefined, null → none, a LogLevel →
// console, an object with `log` → that object.
func loggerFrom(v js.Value, ifUndefined client.Logger) client.Logger {
	switch {
	case v.IsUndefined():
		return ifUndefined
	case v.IsNull():
		return client.NullLogger{}
	case v.Type() == js.TypeNumber:
		return consoleLogger{min: client.LogLevel(v.Int())}
	case v.Type() == js.TypeObject && !v.Get("log").IsUndefined():
		return pageLogger{logger: v}
	}
	return ifUndefined
}
