package transport

import (
	"context"
	"io"
	"sync"
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/jsapi/jsutil"
)

var eventSourceCtor = js.Global().Get("EventSource")

// HasEventSource tells whether the browser (or worker) has EventSource, as signalr.js checks
// before it uses the transport.
func HasEventSource() bool { return eventSourceCtor.Type() == js.TypeFunction }

// browserEventSource is the browser's EventSource; like browserConn, its callbacks only queue.
type browserEventSource struct {
	es                         js.Value
	onOpen, onMessage, onError js.Func
	opened                     chan error

	mu     sync.Mutex
	queue  []string
	err    error
	isOpen bool
	wake   chan struct{}
}

func openEventSource(ctx context.Context, url string, withCredentials bool, _ map[string]string) (eventStream, error) {
	b := &browserEventSource{opened: make(chan error, 1), wake: make(chan struct{}, 1)}
	init := js.Global().Get("Object").New()
	init.Set("withCredentials", withCredentials)
	if err := jsutil.Try(func() { b.es = eventSourceCtor.New(url, init) }); err != nil {
		return nil, err
	}
	b.onOpen = js.FuncOf(func(js.Value, []js.Value) any {
		b.mu.Lock()
		b.isOpen = true
		b.mu.Unlock()
		b.opened <- nil
		return nil
	})
	b.onMessage = js.FuncOf(func(_ js.Value, args []js.Value) any {
		b.mu.Lock()
		b.queue = append(b.queue, args[0].Get("data").String())
		b.mu.Unlock()
		b.signal()
		return nil
	})
	b.onError = js.FuncOf(func(js.Value, []js.Value) any {
		b.mu.Lock()
		wasOpen := b.isOpen
		b.mu.Unlock()
		if !wasOpen {
			b.opened <- errEventSourceFailed
		}
		b.finish(io.EOF)
		return nil
	})
	b.es.Set("onopen", b.onOpen)
	b.es.Set("onmessage", b.onMessage)
	b.es.Set("onerror", b.onError)
	select {
	case err := <-b.opened:
		if err != nil {
			return nil, err
		}
		return b, nil
	case <-ctx.Done():
		b.Close()
		return nil, ctx.Err()
	}
}

func (b *browserEventSource) signal() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// finish closes the EventSource (it would otherwise reconnect by itself) and ends Next.
func (b *browserEventSource) finish(err error) {
	b.mu.Lock()
	if b.err != nil {
		b.mu.Unlock()
		return
	}
	b.err = err
	b.mu.Unlock()
	b.es.Call("close")
	for _, name := range []string{"onopen", "onmessage", "onerror"} {
		b.es.Set(name, js.Null())
	}
	b.onOpen.Release()
	b.onMessage.Release()
	b.onError.Release()
	b.signal()
}

func (b *browserEventSource) Next() (string, error) {
	for {
		b.mu.Lock()
		if len(b.queue) > 0 {
			data := b.queue[0]
			b.queue = b.queue[1:]
			b.mu.Unlock()
			return data, nil
		}
		err := b.err
		b.mu.Unlock()
		if err != nil {
			return "", err
		}
		<-b.wake
	}
}

func (b *browserEventSource) Close() { b.finish(ErrClosed) }
