//go:build !js

package client

import (
	"context"
	"fmt"
	"iter"
	"reflect"

	"github.com/signalr-wasm/signalr-wasm/internal/lock"
	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/protocol/govalues"
)

// This file is the engine's API in Go's terms, for native Go programs (not in the wasm, which
// must not link the reflection these codecs use: protocol/govalues): Go values in and out
// (encoded with the connection's protocol), a channel argument for a client-to-server stream, an
// iterator for a server-to-client stream, a plain func for a handler. The methods it builds
// on (Invoke, Send, StreamAsync, On) take encoded values and callbacks, the shape the
// browser bridge needs.

// Call invokes the hub method target with args and waits for its completion. The result is
// decoded into out, a pointer; a nil out drops it. An argument that is a channel is streamed
// to the server (see Stream). When ctx ends first, Call returns its error; the server is
// not told, as signalr.js's invoke cannot be canceled either.
func (c *HubConnection) Call(ctx context.Context, target string, out any, args ...any) error {
	raw, ids, uploads, err := c.goArgs(args)
	if err != nil {
		return err
	}
	type outcome struct {
		r   protocol.Raw
		err error
	}
	done := make(chan outcome, 1)
	c.InvokeAsync(target, raw, ids, CompletionFunc(func(r protocol.Raw, err error) { done <- outcome{r, err} }), 0)
	uploads(ctx)
	select {
	case o := <-done:
		if o.err != nil || out == nil || o.r == nil {
			return o.err
		}
		return govalues.Of(c.opts.Protocol).Decode(o.r, out)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SendValues invokes target with args without waiting for the hub method: it returns once
// the invocation is sent (over Long Polling or Server-Sent Events, once its POST is
// answered; under stateful reconnect with a full buffer, once it fits), or with ctx's error.
// Channel arguments are streamed as in Call.
func (c *HubConnection) SendValues(ctx context.Context, target string, args ...any) error {
	raw, ids, uploads, err := c.goArgs(args)
	if err != nil {
		return err
	}
	done, err := c.Send(target, raw, ids)
	if err != nil {
		return err
	}
	uploads(ctx)
	if done == nil {
		return nil
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stream invokes the streaming hub method target and yields its items, decoded as T, until
// the server completes the stream; a server error, the connection closing or ctx ending is
// yielded once, as the last pair. Leaving the loop early cancels the stream on the server.
// Items are queued as they arrive, so a slow loop body holds up neither the connection nor
// other streams.
//
// An argument of args that is a channel is a client-to-server stream, as a Subject is in
// signalr.js: its values are sent as they come and the stream completes when the channel is
// closed (with an error when ctx ends first).
func Stream[T any](ctx context.Context, c *HubConnection, target string, args ...any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		raw, ids, uploads, err := c.goArgs(args)
		if err != nil {
			yield(zero, err)
			return
		}
		q := &itemQueue{wake: make(chan struct{}, 1)}
		id := c.StreamAsync(target, raw, ids, q.push, q.end)
		uploads(ctx)
		for {
			item, ended, err := q.next(ctx)
			switch {
			case ctx.Err() != nil && !ended:
				_ = c.CancelStream(id)
				yield(zero, ctx.Err())
				return
			case ended:
				if err != nil {
					yield(zero, err)
				}
				return
			}
			var v T
			if err := govalues.Of(c.opts.Protocol).Decode(item, &v); err != nil {
				_ = c.CancelStream(id)
				yield(zero, err)
				return
			}
			if !yield(v, nil) {
				_ = c.CancelStream(id)
				return
			}
		}
	}
}

// itemQueue holds a stream's items between the reading goroutine, which must never wait for
// the loop body, and the loop.
type itemQueue struct {
	mu    lock.Mutex
	items []protocol.Raw
	ended bool
	err   error
	wake  chan struct{}
}

func (q *itemQueue) push(item protocol.Raw) {
	q.mu.Lock()
	q.items = append(q.items, item)
	q.mu.Unlock()
	q.signal()
}

func (q *itemQueue) end(err error) {
	q.mu.Lock()
	q.ended, q.err = true, err
	q.mu.Unlock()
	q.signal()
}

func (q *itemQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// next is the next item, or ended with the stream's error once every item has been taken.
func (q *itemQueue) next(ctx context.Context) (item protocol.Raw, ended bool, err error) {
	for {
		q.mu.Lock()
		switch {
		case len(q.items) > 0:
			item = q.items[0]
			q.items = q.items[1:]
			q.mu.Unlock()
			return item, false, nil
		case q.ended:
			q.mu.Unlock()
			return nil, true, q.err
		}
		q.mu.Unlock()
		select {
		case <-q.wake:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	}
}

// goArgs encodes args as an argument array. Channels leave the array and become
// client-to-server streams; uploads starts sending them once the invocation is out.
func (c *HubConnection) goArgs(args []any) (raw protocol.Raw, ids []string, uploads func(context.Context), err error) {
	var values []any
	var channels []reflect.Value
	for _, a := range args {
		if v := reflect.ValueOf(a); v.Kind() == reflect.Chan && v.Type().ChanDir()&reflect.RecvDir != 0 {
			channels = append(channels, v)
		} else {
			values = append(values, a)
		}
	}
	if values == nil {
		values = []any{}
	}
	if raw, err = govalues.Of(c.opts.Protocol).Encode(values); err != nil {
		return nil, nil, nil, err
	}
	ids = c.StreamIDs(len(channels))
	return raw, ids, func(ctx context.Context) {
		for i, ch := range channels {
			go c.upload(ctx, ids[i], ch)
		}
	}, nil
}

// upload sends what ch gives as the stream id, and completes it when ch is closed, with an
// error when ctx ends first or an item cannot be encoded.
func (c *HubConnection) upload(ctx context.Context, id string, ch reflect.Value) {
	cases := []reflect.SelectCase{
		{Dir: reflect.SelectRecv, Chan: ch},
		{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ctx.Done())},
	}
	for {
		chosen, v, ok := reflect.Select(cases)
		if chosen == 1 {
			_ = c.CompleteStream(id, ctx.Err().Error())
			return
		}
		if !ok {
			_ = c.CompleteStream(id, "")
			return
		}
		raw, err := govalues.Of(c.opts.Protocol).Encode(v.Interface())
		if err != nil {
			_ = c.CompleteStream(id, err.Error())
			return
		}
		if c.SendStreamItem(id, raw) != nil {
			return // the connection is gone, and the invocation with it
		}
	}
}

// Args are the arguments of a server-to-client call, as they came.
type Args struct {
	raws  []protocol.Raw
	proto govalues.Protocol
}

// Len is how many arguments the server sent.
func (a Args) Len() int { return len(a.raws) }

// Decode reads the arguments, in order, into ptrs; extra arguments are left unread.
func (a Args) Decode(ptrs ...any) error {
	for i, p := range ptrs {
		if i >= len(a.raws) {
			return fmt.Errorf("the server sent %d argument(s), not %d", len(a.raws), len(ptrs))
		}
		if err := a.proto.Decode(a.raws[i], p); err != nil {
			return err
		}
	}
	return nil
}

// Handle calls f for each call of the client method name (in any case) from the server;
// off removes it. What f returns answers a server that waits for a result (a client
// result): a value, or an error whose text the server gets. f runs on the goroutine that
// reads the connection, in the order the calls came, so it must not itself wait for this
// connection (Call, Stream): start a goroutine for that.
func (c *HubConnection) Handle(name string, f func(Args) (any, error)) (off func()) {
	h := &funcHandler{f: f, proto: govalues.Of(c.opts.Protocol)}
	c.On(name, h)
	return func() { c.Off(name, h) }
}

type funcHandler struct {
	f     func(Args) (any, error)
	proto govalues.Protocol
}

func (h *funcHandler) Call(args protocol.Raw, _ Await) (HandlerResult, func() (HandlerResult, error), error) {
	raws, err := h.proto.SplitArray(args)
	if err != nil {
		return HandlerResult{}, nil, err
	}
	v, err := h.f(Args{raws: raws, proto: h.proto})
	if err != nil || v == nil {
		return HandlerResult{}, nil, err
	}
	raw, err := h.proto.Encode(v)
	return HandlerResult{Value: raw, Truthy: true}, nil, err
}

func (h *funcHandler) Same(other Handler) bool { return other == Handler(h) }
