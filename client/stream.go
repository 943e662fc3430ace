package client

import (
	"errors"

	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// StreamAsync is signalr.js's stream(): a StreamInvocation whose items go to onItem and whose
// end (completion, server error, or the connection closing) goes to onEnd, once. It returns
// the invocation id for CancelStream. A send that fails ends the stream through onEnd, after
// the caller's call has returned (signalr.js reports it from a Promise, after the page has
// had the chance to subscribe).
func (c *HubConnection) StreamAsync(target string, args protocol.Raw, onItem func(protocol.Raw), onEnd func(error)) string {
	c.mu.Lock()
	id := c.nextIDLocked()
	c.calls[id] = func(m *protocol.Message, err error) {
		switch {
		case err != nil:
			onEnd(err)
		case m.Type == protocol.StreamItemType:
			onItem(m.Item)
		case m.Error != "":
			onEnd(errors.New(m.Error))
		default:
			onEnd(nil)
		}
	}
	c.mu.Unlock()
	err := c.sendMessage(&protocol.Message{Type: protocol.StreamInvocationType, Target: target, Arguments: args, InvocationID: id})
	if err != nil {
		c.mu.Lock()
		delete(c.calls, id)
		c.mu.Unlock()
		c.opts.RunLater(func() { onEnd(err) })
	}
	return id
}

// CancelStream is a disposed stream subscription: no more items are delivered and the server
// is asked to stop.
func (c *HubConnection) CancelStream(id string) error {
	c.mu.Lock()
	delete(c.calls, id)
	c.mu.Unlock()
	return c.sendMessage(&protocol.Message{Type: protocol.CancelInvocationType, InvocationID: id})
}
