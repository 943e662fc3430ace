// Package alarm is the engine's timers (the keep-alive and server timeout, for as long as a
// connection is open; a reconnect's delay; an HTTP request's timeout), kept by the
// platform's own clock where that is cheaper than Go's. In the wasm it also keeps
// time.NewTimer, and the GODEBUG lookup it makes, out of the build (0.7 KB of brotli).
//
// In the browser, Go's runtime stands for its earliest pending timer with a JS setTimeout,
// and each wake of Go that carries no event (a socket message, internal/jsevents) clears
// that timeout and sets it again when Go goes idle: with a Go timer pending for as long as
// the connection lives, a setTimeout and a clearTimeout per message, which cost the page more
// than the rest of Go's work on a stream item. A JS timer set by Go itself is untouched by
// those wakes.
package alarm
