package jsapi

import (
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

// tabLockName is the Web Lock every connection holds, shared, while it is up: a page holding
// a lock is neither throttled nor frozen by the browser (the technique the SignalR docs show
// as page code), and navigator.locks.query() shows who holds it.
const tabLockName = "signalr-wasm"

const freezeWarning = "The page is being frozen, this will likely lead to the connection being closed and messages being lost. For more information see the docs at https://learn.microsoft.com/aspnet/core/signalr/javascript-client#bsleep"

// pageWatch is what a connection does with its page while it is up, from a successful start()
// to its final close: it holds the tab's Web Lock (unless the builder turned that off), logs
// signalr.js's warning when the page freezes, and cuts a reconnect wait short when the
// network comes back, the tab becomes visible or a frozen page resumes.
type pageWatch struct {
	conn    *client.HubConnection
	log     client.Logger
	useLock bool

	up        bool
	release   js.Value // resolves the promise that keeps the lock held
	listeners []pageListener
}

type pageListener struct {
	target js.Value
	event  string
	fn     js.Func
}

// started runs when start() has succeeded.
func (w *pageWatch) started() {
	if w.up {
		return
	}
	w.up = true
	if w.useLock {
		w.acquireLock()
	}
	doc := js.Global().Get("document")
	if doc.Type() == js.TypeObject {
		w.listen(doc, "freeze", func() { w.log.Log(client.Warning, freezeWarning) })
		w.listen(doc, "resume", w.conn.RetryNow)
		w.listen(doc, "visibilitychange", func() {
			if doc.Get("visibilityState").String() == "visible" {
				w.conn.RetryNow()
			}
		})
	}
	if js.Global().Get("addEventListener").Type() == js.TypeFunction {
		w.listen(js.Global(), "online", w.conn.RetryNow)
	}
}

// closed runs when the connection has finally closed (not between reconnect attempts).
func (w *pageWatch) closed() {
	if !w.up {
		return
	}
	w.up = false
	for _, l := range w.listeners {
		l.target.Call("removeEventListener", l.event, l.fn)
		jsutil.Release(l.fn)
	}
	w.listeners = nil
	if w.release.Type() == js.TypeFunction {
		w.release.Invoke()
	}
	w.release = js.Undefined()
}

func (w *pageWatch) listen(target js.Value, event string, f func()) {
	fn := jsutil.FuncOf(func(js.Value, []js.Value) any {
		defer func() { _ = recover() }() // an event must never take the runtime down
		f()
		return nil
	})
	target.Call("addEventListener", event, fn)
	w.listeners = append(w.listeners, pageListener{target, event, fn})
}

// acquireLock asks for the shared lock and holds it until closed() resolves its promise.
// Where Web Locks are missing (old browsers, insecure origins) the connection works as
// signalr.js's does, without it.
func (w *pageWatch) acquireLock() {
	nav := js.Global().Get("navigator")
	if nav.Type() != js.TypeObject || nav.Get("locks").Type() != js.TypeObject {
		return
	}
	var hold js.Value
	executor := jsutil.FuncOf(func(_ js.Value, args []js.Value) any {
		w.release = args[0]
		return nil
	})
	hold = js.Global().Get("Promise").New(executor)
	jsutil.Release(executor)
	var granted js.Func
	granted = jsutil.FuncOf(func(js.Value, []js.Value) any {
		jsutil.Release(granted)
		return hold
	})
	options := js.Global().Get("Object").New()
	options.Set("mode", "shared")
	nav.Get("locks").Call("request", tabLockName, options, granted)
}
