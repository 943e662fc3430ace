package client

import "github.com/signalr-wasm/signalr-wasm/internal/lock"

// callbacks is one list of the page's callbacks (onclose, onreconnecting, onreconnected),
// guarded by the connection's mutex.
type callbacks[T any] struct{ fns []func(T) error }

func (l *callbacks[T]) add(mu *lock.Mutex, cb func(T) error) {
	mu.Lock()
	l.fns = append(l.fns, cb)
	mu.Unlock()
}

// list is a copy to call outside the mutex, taken under it: a callback may add another.
func (l *callbacks[T]) list() []func(T) error { return append([]func(T) error(nil), l.fns...) }

// call calls each callback with arg, in order; the first that returns an error (a JS callback
// that threw) goes to threw and ends the round, as signalr.js's forEach inside one try does.
func call[T any](fns []func(T) error, arg T, threw func(error)) {
	for _, cb := range fns {
		if err := cb(arg); err != nil {
			threw(err)
			return
		}
	}
}
