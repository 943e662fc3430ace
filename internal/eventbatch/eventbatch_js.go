// Package eventbatch receives a WebSocket's or an EventSource's events in batches: the
// facade's batchEvents (web/src/inbox.js) queues them in JS and wakes Go once per task.
// The browser dispatches a burst of messages in one task; a js.FuncOf callback per message
// cost tens of microseconds, and several new js.Values, each.
package eventbatch

import (
	"sync"
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

var batchEvents js.Value

// Install is given the facade's batchEvents, before the first connection: the loader passes
// it through the bridge's init (a Go test, which has no loader, evaluates web/src/inbox.js).
func Install(fn js.Value) { batchEvents = fn }

// Item is one message (Frame, its kind in Text) or one of the other events (Event).
type Item struct {
	Frame []byte
	Text  bool
	Event js.Value
}

// Listener delivers one target's events, in the order the browser dispatched them.
type Listener struct {
	deliver func(Item)
	wake    js.Func
	detach  js.Value

	mu      sync.Mutex
	stopped bool
}

// Listen takes over target's onmessage and the on<name> handlers of events; deliver runs
// for each item, on the goroutine of a JS callback, so it must not block.
func Listen(target js.Value, events []string, deliver func(Item)) *Listener {
	l := &Listener{deliver: deliver}
	l.wake = jsutil.FuncOf(func(_ js.Value, args []js.Value) any {
		jsutil.Guard(func() { jsutil.Entry(func() { l.deliverBatch(args) }) })
		return nil
	})
	names := make([]any, len(events))
	for i, name := range events {
		names[i] = name
	}
	l.detach = batchEvents.Invoke(target, names, l.wake)
	return l
}

// Stop detaches the handlers and delivers what the browser had dispatched and JS not yet
// handed over: a close made from Go must not lose messages that a page using signalr.js
// would have seen, nor the server's close event. Stopping twice, or from inside deliver,
// does nothing more.
func (l *Listener) Stop() {
	l.mu.Lock()
	stopped := l.stopped
	l.stopped = true
	l.mu.Unlock()
	if stopped {
		return
	}
	rest := l.detach.Invoke()
	l.deliverBatch([]js.Value{rest.Index(0), rest.Index(1), rest.Index(2), rest.Index(3)})
	jsutil.Release(l.wake)
}

// deliverBatch walks one batch (web/src/inbox.js): text, index, bytes, events.
func (l *Listener) deliverBatch(batch []js.Value) {
	index := batch[1].String()
	text := []byte(batch[0].String())
	var binary []byte
	if b := batch[2]; b.Type() == js.TypeObject {
		binary = make([]byte, b.Length())
		js.CopyBytesToGo(binary, b)
	}
	events := batch[3]
	event := 0
	for i := 0; i < len(index); {
		kind := index[i]
		i++
		if kind == 'e' {
			l.deliver(Item{Event: events.Index(event)})
			event++
			continue
		}
		n := 0
		for ; index[i] != ','; i++ {
			n = n*10 + int(index[i]-'0')
		}
		i++
		if kind == 'b' {
			l.deliver(Item{Frame: binary[:n:n]})
			binary = binary[n:]
			continue
		}
		n = jsutil.UTF16Prefix(text, n)
		l.deliver(Item{Frame: text[:n:n], Text: true})
		text = text[n:]
	}
}
