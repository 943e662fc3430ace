// Package logging is what every layer of the engine (transports, connection, hub connection,
// bridge) logs and prints errors with: signalr.js's log levels and logger, and `${e}`, the
// text an error prints as in JS, which signalr.js's log lines and error messages embed. It
// imports nothing of the project, so that the bottom layer can use it as well as the top.
package logging

import "errors"

// LogLevel is signalr.js's LogLevel; the numbers are the same so that a JS level passes through.
type LogLevel int

const (
	Trace LogLevel = iota
	Debug
	Information
	Warning
	Error
	Critical
	None
)

var levelNames = [...]string{"Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"}

func (l LogLevel) String() string {
	if l >= 0 && int(l) < len(levelNames) {
		return levelNames[l]
	}
	return ""
}

// Logger receives log lines, with signalr.js's texts.
type Logger interface {
	Log(level LogLevel, message string)
}

// NullLogger drops everything.
type NullLogger struct{}

func (NullLogger) Log(LogLevel, string) {}

// LevelLogger is a Logger that can say a level is dropped, so that costly lines (per-frame
// trace lines) are not even formatted.
type LevelLogger interface {
	Logger
	Enabled(level LogLevel) bool
}

// Enabled tells whether l keeps lines of level: a Logger that cannot say keeps them all,
// but for the NullLogger.
func Enabled(l Logger, level LogLevel) bool {
	if ll, ok := l.(LevelLogger); ok {
		return ll.Enabled(level)
	}
	_, null := l.(NullLogger)
	return !null
}

// JSStringer is implemented by errors whose `${e}` form is not "Error: "+message: errors
// that came from JS (a fetch TypeError prints "TypeError: Failed to fetch") and the few
// signalr.js makes of another class or of a plain string.
type JSStringer interface{ JSString() string }

// ErrorString is `${e}` of the JS error signalr.js would hold: every class of signalr.js keeps
// the name "Error", so an error made in Go prints "Error: <message>"; nil is JS's undefined.
func ErrorString(err error) string {
	if err == nil {
		return "undefined"
	}
	if s, ok := errors.AsType[interface {
		error
		JSStringer
	}](err); ok {
		return s.JSString()
	}
	return "Error: " + err.Error()
}
