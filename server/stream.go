package server

import (
	"context"
	"errors"
	"reflect"

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
			if chosen == 1 {
				return // canceled by the client, or the connection ended: nothing more to send
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
	text := "An error occurred on the server while streaming results."
	var he *HubError
	switch {
	case errors.As(err, &he):
		return text + " HubException: " + he.Message
	case detailed:
		return text + " Exception: " + err.Error()
	}
	return text
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
