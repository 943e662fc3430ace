// Package jsevents receives a WebSocket's or an EventSource's events through the facade's
// listenEvents (web/src/events.js), which takes a message's data out in JS: each message
// then crosses into Go as one string or one Uint8Array, not as an event object that Go
// reads property by property (a new js.Value, and a finalizer, for each).
package jsevents

import (
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

var listenEvents js.Value

// Install is given the facade's listenEvents, before the first connection: the loader
// passes it through the bridge's init (a Go test, which has no loader, evaluates
// web/src/events.js).
func Install(fn js.Value) { listenEvents = fn }

// Item is one message (Frame, its kind in Text) or one of the other events (Event).
type Item struct {
	Frame []byte
	Text  bool
	Event js.Value
}

// Listener delivers one target's events, each in the call from JS that dispatched it.
type Listener struct {
	wake   js.Func
	detach js.Value
}

// Listen takes over target's onmessage and the on<name> handlers of events; deliver runs
// for each item, on the goroutine of a JS callback, so it must not block. What it leaves for
// JS goes out before the event's call returns (jsutil.Entry), as signalr.js handles a
// message within its event.
func Listen(target js.Value, events []string, deliver func(Item)) *Listener {
	l := &Listener{}
	l.wake = jsutil.FuncOf(func(_ js.Value, args []js.Value) any {
		jsutil.Guard(func() { jsutil.Entry(func() { deliver(item(args)) }) })
		return nil
	})
	names := make([]any, len(events))
	for i, name := range events {
		names[i] = name
	}
	l.detach = listenEvents.Invoke(target, names, l.wake)
	return l
}

func item(args []js.Value) Item {
	switch data := args[0]; data.Type() {
	case js.TypeString:
		return Item{Frame: []byte(data.String()), Text: true}
	case js.TypeObject:
		frame := make([]byte, data.Length())
		js.CopyBytesToGo(frame, data)
		return Item{Frame: frame}
	}
	return Item{Event: args[1]}
}

// Stop detaches the handlers; call it once.
func (l *Listener) Stop() {
	l.detach.Invoke()
	jsutil.Release(l.wake)
}
