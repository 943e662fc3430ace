package client

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

// Logger receives the connection's log lines, with signalr.js's texts.
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

func enabled(l Logger, level LogLevel) bool {
	if ll, ok := l.(LevelLogger); ok {
		return ll.Enabled(level)
	}
	_, null := l.(NullLogger)
	return !null
}
