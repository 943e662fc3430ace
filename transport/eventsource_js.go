package transport

import (
	"context"
	"io"
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/internal/jsevents"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
	"github.com/signalr-wasm/signalr-wasm/internal/lock"
)

var eventSourceCtor = js.Global().Get("EventSource")

// hasEventSource tells whether the browser (or worker) has EventSource, as signalr.js checks
// before it uses the transport.
func hasEventSource() bool { return eventSourceCtor.Type() == js.TypeFunction }

// browserEventSource is the browser's EventSource; like browserConn, its events only queue
// (inbound).
type browserEventSource struct {
	inbound
	es     js.Value
	events *jsevents.Listener // messages and errors
	onOpen js.Func
	opened chan error

	openMu lock.Mutex
	isOpen bool
}

func openEventSource(ctx context.Context, url string, withCredentials bool, _ map[string]string) (eventStream, error) {
	b := &browserEventSource{inbound: newInbound(), opened: make(chan error, 1)}
	init := js.Global().Get("Object").New()
	init.Set("withCredentials", withCredentials)
	if err := jsutil.Try(func() { b.es = eventSourceCtor.New(url, init) }); err != nil {
		return nil, err
	}
	b.onOpen = jsutil.FuncOf(func(js.Value, []js.Value) any {
		b.openMu.Lock()
		b.isOpen = true
		b.openMu.Unlock()
		b.opened <- nil
		return nil
	})
	b.es.Set("onopen", b.onOpen)
	b.events = jsevents.Listen(b.es, []string{"error"}, b.received)
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

// received is one message, or an error: EventSource reconnects by itself after an error,
// signalr.js closes it instead.
func (b *browserEventSource) received(item jsevents.Item) {
	if item.Event.IsUndefined() {
		b.push(item.Frame, false)
		return
	}
	b.openMu.Lock()
	wasOpen := b.isOpen
	b.openMu.Unlock()
	if !wasOpen {
		b.opened <- errEventSourceFailed
	}
	b.finish(io.EOF)
}

// finish closes the EventSource (it would otherwise reconnect by itself) and ends Next.
func (b *browserEventSource) finish(err error) {
	if !b.end(err) {
		return
	}
	b.events.Stop()
	b.es.Call("close")
	b.es.Set("onopen", js.Null())
	jsutil.Release(b.onOpen)
}

func (b *browserEventSource) Next(ctx context.Context) ([]byte, error) { return b.next(ctx) }

func (b *browserEventSource) Close() { b.finish(ErrClosed) }
