package client

import (
	"context"
	"errors"
	"strconv"

	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// sendMessage writes a message and moves the keep-alive deadline.
func (c *HubConnection) sendMessage(m *protocol.Message) error {
	_, err := c.send(m, false)
	return err
}

// send is sendMessage that also returns what a sender that settles on the outcome waits on
// (done): an HTTP transport's frame is sent once its POST is answered, and under stateful
// reconnect a send waits while the buffer is over its limit. A buffered message never fails
// to send: like signalr.js's MessageBuffer, a failed write waits for the transport to come
// back and be replayed. notWhileStopping refuses the message once a stop has begun (Send).
//
// The message is framed into one buffer of the connection's, under out's lock, and the link
// keeps a copy only when it must (stateful reconnect, an HTTP transport's queue): a send
// allocates nothing, where a message and a frame each were an allocation, and a burst of
// sends on a fresh page grew Go's heap into memory it had never touched.
func (c *HubConnection) send(m *protocol.Message, notWhileStopping bool) (done <-chan error, err error) {
	c.out.Lock()
	defer c.out.Unlock()
	c.out.message = *m // m stays where its caller made it: on its stack
	c.out.frame, err = c.opts.Protocol.Append(c.out.frame[:0], &c.out.message)
	c.out.message = protocol.Message{} // keeps nothing of the page's alive
	if err != nil {
		return nil, err
	}
	// signalr.js moves the keep-alive deadline only for sends that bypass its buffer. The
	// state is read in the same hold of the lock: a lock taken is several calls in wasm.
	if moves := c.frames.Buffer() == nil; moves || notWhileStopping {
		c.mu.Lock()
		refused := notWhileStopping && c.state == Disconnecting
		if moves && !refused {
			c.resetKeepAliveLocked()
		}
		c.mu.Unlock()
		if refused {
			return nil, errNotConnected
		}
	}
	done, err = c.frames.Send(m.Type, c.out.frame)
	if cap(c.out.frame) > maxKeptFrame {
		c.out.frame = nil
	}
	return done, err
}

// maxKeptFrame is the largest frame buffer a connection keeps between sends: a large
// argument should not hold its memory for the connection's life.
const maxKeptFrame = 64 << 10

// failCall ends call id with err, unless it has ended.
func (c *HubConnection) failCall(id string, err error) {
	c.mu.Lock()
	call, pending := c.calls[id]
	delete(c.calls, id)
	c.mu.Unlock()
	if pending {
		call.receive(nil, err)
	}
}

// failCallsFrom ends, with err, the calls unended among those numbered from first on.
func (c *HubConnection) failCallsFrom(first int, err error) {
	c.mu.Lock()
	next := c.nextInvocationID
	c.mu.Unlock()
	for n := first; n < next; n++ {
		c.failCall(invocationID(n), err)
	}
}

// failLater ends call id with the error its send reports on done, if it does (a POST that
// failed): signalr.js rejects a call whose send fails.
func (c *HubConnection) failLater(id string, done <-chan error) {
	if done != nil {
		go func() {
			if err := <-done; err != nil {
				c.failCall(id, err)
			}
		}()
	}
}

func (c *HubConnection) nextIDLocked() string {
	id := invocationID(c.nextInvocationID)
	c.nextInvocationID++
	return id
}

// invocationID is the id of the invocation numbered n, as signalr.js numbers them.
func invocationID(n int) string { return strconv.Itoa(n) }

// Completions receives the ends of invocations (InvokeAsync) under the key each was made
// with: one receiver for all of a caller's calls, where a function per call was an
// allocation of each invoke, and a burst's collections with them.
type Completions interface {
	// Complete has the completion's result (nil for none; it lies in the frame, and is the
	// transport's again once Complete returns) or error.
	Complete(key int, result protocol.Raw, err error)
}

// CompletionFunc is the Completions of a single call: it ignores the key.
type CompletionFunc func(result protocol.Raw, err error)

func (f CompletionFunc) Complete(_ int, result protocol.Raw, err error) { f(result, err) }

// pendingCall is what waits for an invocation's messages: done and key for InvokeAsync's,
// stream for StreamAsync's.
type pendingCall struct {
	done   Completions
	key    int
	stream func(*protocol.Message, error)
}

// receive hands the call a message of its id, or the error that ends it.
func (p pendingCall) receive(m *protocol.Message, err error) {
	switch {
	case p.stream != nil:
		p.stream(m, err)
	case err != nil:
		p.done.Complete(p.key, nil, err)
	case m.Type != protocol.CompletionType:
		p.done.Complete(p.key, nil, errors.New("Unexpected message type: "+strconv.Itoa(int(m.Type))))
	case m.Error != "":
		p.done.Complete(p.key, nil, errors.New(m.Error))
	default:
		p.done.Complete(p.key, m.Result, nil)
	}
}

// callsInOrder is the ids of calls in the order they were made, the order in which
// signalr.js ends them when the connection closes (its callbacks object's keys, integers,
// come in ascending order). A heapsort of its own: slices.SortFunc's was 4 KB of the
// compressed wasm.
func callsInOrder(calls map[string]pendingCall) []string {
	ids := make([]string, 0, len(calls))
	for id := range calls {
		ids = append(ids, id)
	}
	for i := len(ids)/2 - 1; i >= 0; i-- {
		siftDown(ids, i, len(ids))
	}
	for end := len(ids) - 1; end > 0; end-- {
		ids[0], ids[end] = ids[end], ids[0]
		siftDown(ids, 0, end)
	}
	return ids
}

// siftDown moves ids[root] down the heap of ids[:n] to where it belongs.
func siftDown(ids []string, root, n int) {
	for {
		child := 2*root + 1
		if child >= n {
			return
		}
		if child+1 < n && madeBefore(ids[child], ids[child+1]) {
			child++
		}
		if !madeBefore(ids[root], ids[child]) {
			return
		}
		ids[root], ids[child] = ids[child], ids[root]
		root = child
	}
}

// madeBefore compares two invocation ids, decimal integers without leading zeros.
func madeBefore(a, b string) bool { return len(a) < len(b) || len(a) == len(b) && a < b }

// InvokeAsync sends an invocation now, in call order, and hands its end to done under key.
// args is the encoded argument array; streamIDs, from StreamIDs, name the client-to-server
// streams that stand for arguments.
func (c *HubConnection) InvokeAsync(target string, args protocol.Raw, streamIDs []string, done Completions, key int) {
	c.mu.Lock()
	id := c.nextIDLocked()
	c.calls[id] = pendingCall{done: done, key: key}
	c.mu.Unlock()
	sent, err := c.send(&protocol.Message{Type: protocol.InvocationType, Target: target, Arguments: args, InvocationID: id, StreamIDs: streamIDs}, false)
	if err != nil {
		c.failCall(id, err)
		return
	}
	c.failLater(id, sent)
}

// Invoke is InvokeAsync for Go callers.
func (c *HubConnection) Invoke(ctx context.Context, target string, args protocol.Raw) (protocol.Raw, error) {
	type outcome struct {
		r   protocol.Raw
		err error
	}
	ch := make(chan outcome, 1)
	c.InvokeAsync(target, args, nil, CompletionFunc(func(r protocol.Raw, err error) { ch <- outcome{append(protocol.Raw(nil), r...), err} }), 0)
	select {
	case o := <-ch:
		return o.r, o.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Send is a non-blocking invocation: it returns once the message is written. When done is
// not nil, the send is done only once done receives nil, or its error: over an HTTP
// transport, once its POST is answered; under stateful reconnect with a full buffer, once
// there is room (or the connection closed).
func (c *HubConnection) Send(target string, args protocol.Raw, streamIDs []string) (done <-chan error, err error) {
	// signalr.js's stop() leaves its HttpConnection Disconnecting at once, so a send made after
	// it fails, though the transport stays open for the close message.
	return c.send(&protocol.Message{Type: protocol.InvocationType, Target: target, Arguments: args, StreamIDs: streamIDs}, true)
}
