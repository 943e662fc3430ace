package server

import (
	"context"
	"errors"
	"reflect"
	"strings"

	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// isStreaming tells a streaming hub method: its first result is a channel it sends the items
// on and closes at the end. An item that is an error ends the stream with that error, as an
// exception thrown while ASP.NET enumerates a stream does.
func isStreaming(m reflect.Method) bool {
	t := m.Type
	return t.NumOut() > 0 && t.Out(0).Kind() == reflect.Chan && t.Out(0).ChanDir()&reflect.RecvDir != 0
}

// stream runs a streaming method for a StreamInvocation: StreamItems, then a Completion,
// until the client sends CancelInvocation. Other invocations of the connection go on.
func (e *hubEntry) stream(c *conn, m *protocol.Message) {
	ctx, cancel := context.WithCancel(c.ctx)
	hub := e.instance(c)
	hub.hub().Context.ctx = ctx
	value, err, errText := e.run(c, hub, m)
	if errText == "" && err != nil {
		errText = errorText(m.Target, err, c.s.opts.DetailedErrors)
	}
	if errText == "" && value.IsNil() {
		errText = errorText(m.Target, errors.New("the stream is nil"), c.s.opts.DetailedErrors)
	}
	if errText != "" {
		cancel()
		_ = c.write(&protocol.Message{Type: protocol.CompletionType, InvocationID: m.InvocationID, Error: errText})
		return
	}
	c.addStream(m.InvocationID, cancel)
	go func() {
		defer c.removeStream(m.InvocationID)
		defer cancel()
		cases := []reflect.SelectCase{
			{Dir: reflect.SelectRecv, Chan: value},
			{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ctx.Done())},
		}
		for {
			chosen, item, ok := reflect.Select(cases)
			if chosen == 1 || ctx.Err() != nil {
				// Canceled by the client, or the connection ended: nothing more to send, even
				// when the method's channel was also ready (a method that stops on cancel).
				return
			}
			done := &protocol.Message{Type: protocol.CompletionType, InvocationID: m.InvocationID}
			if !ok {
				_ = c.write(done)
				return
			}
			if itemErr, isErr := item.Interface().(error); isErr {
				done.Error = streamErrorText(itemErr, c.s.opts.DetailedErrors)
				_ = c.write(done)
				return
			}
			raw, err := c.proto.Encode(item.Interface())
			if err != nil {
				done.Error = streamErrorText(err, c.s.opts.DetailedErrors)
				_ = c.write(done)
				return
			}
			if c.write(&protocol.Message{Type: protocol.StreamItemType, InvocationID: m.InvocationID, Item: raw}) != nil {
				return
			}
		}
	}()
}

// streamErrorText is ASP.NET's text for a stream that failed after it started.
func streamErrorText(err error, detailed bool) string {
	return errorMessage("An error occurred on the server while streaming results.", err, detailed)
}

func (c *conn) addStream(id string, cancel context.CancelFunc) {
	c.mu.Lock()
	c.streams[id] = cancel
	c.mu.Unlock()
}

func (c *conn) removeStream(id string) {
	c.mu.Lock()
	delete(c.streams, id)
	c.mu.Unlock()
}

// cancelStream is the client's CancelInvocation.
func (c *conn) cancelStream(id string) {
	c.mu.Lock()
	cancel := c.streams[id]
	c.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// upload is one client-to-server stream: the channel a hub method parameter reads. It stays
// known until both its method has taken it and the client has completed it, whichever is
// last: a fast client can complete a stream before its method even starts.
type upload struct {
	ch    reflect.Value
	elem  reflect.Type
	taken bool
	ended bool
	err   error // the client's Completion error, which the method sees as a failure
}

// isUploadParam tells a parameter that a client stream fills (ASP.NET's ChannelReader<T>).
func isUploadParam(t reflect.Type) bool {
	return t.Kind() == reflect.Chan && t.ChanDir()&reflect.RecvDir != 0
}

// openUploads makes the channels of an invocation's streams as soon as it arrives, so that
// items that follow it on the wire find them even while the method waits its turn.
func (c *conn) openUploads(m *protocol.Message) {
	if len(m.StreamIDs) == 0 {
		return
	}
	method, ok := c.hub.methods[strings.ToLower(m.Target)]
	if !ok {
		return
	}
	t := method.Type
	c.mu.Lock()
	defer c.mu.Unlock()
	next := 0
	for i := 1; i < t.NumIn() && next < len(m.StreamIDs); i++ {
		if p := t.In(i); isUploadParam(p) {
			ch := reflect.MakeChan(reflect.ChanOf(reflect.BothDir, p.Elem()), 1024)
			c.uploads[m.StreamIDs[next]] = &upload{ch: ch, elem: p.Elem()}
			next++
		}
	}
}

// uploadItem delivers a StreamItem; it reports false for an id that is no upload.
func (c *conn) uploadItem(m *protocol.Message) bool {
	c.mu.Lock()
	u := c.uploads[m.InvocationID]
	c.mu.Unlock()
	if u == nil {
		return false
	}
	v := reflect.New(u.elem)
	if err := c.proto.Decode(m.Item, v.Interface()); err != nil {
		c.s.logf("stream item for %s: %v", m.InvocationID, err)
		return true
	}
	u.ch.Send(v.Elem())
	return true
}

// endUpload closes an upload at its Completion; it reports false for an id that is no upload.
func (c *conn) endUpload(m *protocol.Message) bool {
	c.mu.Lock()
	u := c.uploads[m.InvocationID]
	if u == nil || u.ended {
		c.mu.Unlock()
		return false
	}
	u.ended = true
	if m.Error != "" {
		u.err = errors.New(m.Error)
	}
	if u.taken && u.err == nil {
		delete(c.uploads, m.InvocationID)
	}
	c.mu.Unlock()
	u.ch.Close()
	return true
}

// takeUpload hands an upload's channel to the method parameter bound to it.
func (c *conn) takeUpload(id string) (reflect.Value, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	u := c.uploads[id]
	if u == nil || u.taken {
		return reflect.Value{}, false
	}
	u.taken = true
	if u.ended && u.err == nil {
		delete(c.uploads, id)
	}
	return u.ch, true
}

// uploadsFailed is the first error the client ended one of m's streams with, once the
// method has returned: in ASP.NET, reading such a stream throws.
func (c *conn) uploadsFailed(m *protocol.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, id := range m.StreamIDs {
		if u := c.uploads[id]; u != nil && u.taken {
			if err == nil {
				err = u.err
			}
			if u.ended {
				delete(c.uploads, id)
			}
		}
	}
	return err
}
