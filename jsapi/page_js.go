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
// network comes back, the tab becomes visible or a frozen page resumes. The facade's
// watchPage listens and holds for it, one call each way, where doing it from Go took a Go
// function per listener and a dozen calls into JS. (It still costs a start() 1.6 ms in
// headless Chromium, 1.8 ms before: nearly all the browser's addEventListener and
// locks.request themselves.)
type pageWatch struct {
	id      int
	conn    *client.HubConnection
	log     client.Logger
	useLock bool

	up      bool
	unwatch js.Value // undoes watchPage while up
}

// watchPage is the facade's watchPage(id, lockName, event), which reports the page's events
// to pageEvent (installPageWatch).
var watchPage js.Value

// pageEvent takes the page's events, event(id, type), for every connection that is up.
var pageEvent js.Func

func installPageWatch(facadeWatchPage js.Value) {
	watchPage = facadeWatchPage
	pageEvent = jsutil.FuncOf(func(_ js.Value, args []js.Value) any {
		defer func() { _ = recover() }() // an event must never take the runtime down
		if c, ok := cores[arg(args, 0).Int()].(*core); ok && c.page.up {
			c.page.event(arg(args, 1).String())
		}
		return nil
	})
}

func (w *pageWatch) event(kind string) {
	switch kind {
	case "freeze":
		w.log.Log(client.Warning, freezeWarning)
	case "resume", "online":
		w.conn.RetryNow()
	case "visibilitychange":
		if js.Global().Get("document").Get("visibilityState").String() == "visible" {
			w.conn.RetryNow()
		}
	}
}

// started runs when start() has succeeded.
func (w *pageWatch) started() {
	if w.up || watchPage.Type() != js.TypeFunction {
		return
	}
	w.up = true
	lock := ""
	if w.useLock {
		lock = tabLockName
	}
	w.unwatch = watchPage.Invoke(w.id, lock, pageEvent)
}

// closed runs when the connection has finally closed (not between reconnect attempts).
func (w *pageWatch) closed() {
	if !w.up {
		return
	}
	w.up = false
	unwatch := w.unwatch
	w.unwatch = js.Undefined()
	unwatch.Invoke()
}
