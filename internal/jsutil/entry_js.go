package jsutil

import (
	"runtime"
	_ "unsafe" // go:linkname
)

// A call from JS into Go costs tens of microseconds, so what Go leaves for JS (a turn's
// WebSocket frames, the page's deliveries) goes out before the call that produced it
// returns, instead of in a microtask that would be one more call into Go.
//
// syscall/js returns to JS only once every goroutine the call woke has run, but the
// function it called returns before that; Entry yields to those goroutines (the read loop
// that the call's frames woke) before it runs what they left with BeforeReturn. What is left
// while no Entry runs (a timer's goroutine, or one the scheduler ran after the Entry) uses
// a microtask as before.

var (
	entryDepth   int
	beforeReturn []func()
)

// Entry runs f for a call from JS, lets the goroutines it woke run, then runs the functions
// they handed to BeforeReturn, in order. Nested calls (JS called from Go calling Go again)
// leave them to the outermost, which runs them even if f panics.
func Entry(f func()) {
	entryDepth++
	defer func() {
		if entryDepth == 1 {
			// Still inside: what these functions leave joins the list. The list keeps its
			// array for the next call: most calls leave something.
			for i := 0; i < len(beforeReturn); i++ {
				fn := beforeReturn[i]
				beforeReturn[i] = nil
				Guard(fn)
			}
			beforeReturn = beforeReturn[:0]
		}
		entryDepth--
	}()
	f()
	// A yield that finds no goroutine to run is still a pass of the scheduler, a fifth of
	// Go's time for a received message, which rarely wakes one.
	if runnable() {
		runtime.Gosched()
	}
}

// runnable is the runtime's pollWork: whether a goroutine is ready to run (in the browser,
// nothing else counts: there is no network poller). Referring to it needs the linker's
// -checklinkname=0, as internal/jsevents does.
//
//go:linkname runnable runtime.pollWork
func runnable() bool

// BeforeReturn runs f before the current Entry returns to JS, and reports false (f will not
// run) when no Entry runs.
func BeforeReturn(f func()) bool {
	if entryDepth == 0 {
		return false
	}
	beforeReturn = append(beforeReturn, f)
	return true
}
