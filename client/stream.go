package client

import (
	"errors"

	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// StreamAsync is signalr.js's stream(): a StreamInvocation whose items go to onItem (each
// lies in its frame, and is the transport's again once onItem returns) and whose
// end (completion, server error, or the connection closing) goes to onEnd, once. It returns
// the invocation id for CancelStream. A send that fails ends the stream through onEnd, after
// the caller's call has returned (signalr.js reports it from a Promise, after the page has
// had the chance to subscribe); over an HTTP transport, once its POST has failed.
func (c *HubConnection) StreamAsync(target string, args protocol.Raw, streamIDs []string, onItem func(protocol.Raw), onEnd func(error)) string {
	c.mu.Lock()
	id := c.nextIDLocked()
	c.calls[id] = pendingCall{stream: func(m *protocol.Message, err error) {
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
	}}
	c.mu.Unlock()
	sent, err := c.send(&protocol.Message{Type: protocol.StreamInvocationType, Target: target, Arguments: args, InvocationID: id, StreamIDs: streamIDs}, false)
	if err != nil {
		c.mu.Lock()
		delete(c.calls, id)
		c.mu.Unlock()
		onEnd(err)
		return id
	}
	c.failLater(id, sent)
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

// StreamIDs reserves n ids for client-to-server streams. signalr.js takes them from the
// invocation ids, before the invocation's own: call it right before the invocation.
func (c *HubConnection) StreamIDs(n int) []string {
	if n == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = c.nextIDLocked()
	}
	return ids
}

// SendStreamItem sends one item of a client-to-server stream.
func (c *HubConnection) SendStreamItem(streamID string, item protocol.Raw) error {
	return c.sendMessage(&protocol.Message{Type: protocol.StreamItemType, InvocationID: streamID, Item: item})
}

// CompleteStream ends a client-to-server stream, with an error text or without ("").
func (c *HubConnection) CompleteStream(streamID, errText string) error {
	return c.sendMessage(&protocol.Message{Type: protocol.CompletionType, InvocationID: streamID, Error: errText})
}
