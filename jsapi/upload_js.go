package jsapi

import (
	"bytes"
	"strings"
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

// upload is a client-to-server stream: its invocation's chain and its id. The facade has
// subscribed to it (signalr.js's _launchStreams subscribes within the call) and sends its items
// and its end as records of its batches, under the key it gave the stream.
type upload struct {
	ch *chain
	id string
}

// launchStreams returns what starts the client-to-server streams of a call, keyed from
// firstKey on, once their invocation is sent: each item becomes a StreamItem, the end a
// Completion.
func (c *core) launchStreams(firstKey int, ids []string) func() {
	if len(ids) == 0 {
		return launchNothing // not a closure per call: most calls have no streams
	}
	return func() {
		ch := &chain{c: c, running: len(ids), waiting: true}
		ch.pump = jsutil.FuncOf(func(js.Value, []js.Value) any {
			ch.sendNext()
			return nil
		})
		for i, id := range ids {
			c.uploads[firstKey+i] = upload{ch, id}
		}
		// The first message waits for the frame that carries the invocation.
		queueMicrotask.Invoke(ch.pump)
	}
}

func launchNothing() {}

// streamRecord runs a record of a client-to-server stream (see doc.go): an item ('y'), the
// end ('z'), or a subscription that failed ('l'). A stream that has ended or never started
// (its call failed) takes nothing more.
// r is the batch's, and taken again for its next record, and the batch's memory is the next
// message's once it has run: what a queued send needs is copied.
func (c *core) streamRecord(r *callRecord) {
	if r.kind == 'l' {
		c.log.Log(client.Error, "Subscribing to the stream argument failed: "+r.name)
		return
	}
	u, running := c.uploads[r.key]
	if !running {
		return
	}
	if r.kind == 'z' {
		delete(c.uploads, r.key)
		u.ch.running--
		why := strings.Clone(r.name)
		u.ch.enqueue(func() { _ = c.conn.CompleteStream(u.id, why) })
		return
	}
	notSent := func(why string) { c.log.Log(client.Debug, "Stream item for '"+u.id+"' not sent: "+why) }
	if r.name != "" {
		notSent(r.name) // the facade could not serialise it
		return
	}
	raw, err := c.codec.EncodeText(r.args)
	if err != nil {
		notSent(client.ErrorString(err))
		return
	}
	raw = bytes.Clone(raw)
	u.ch.enqueue(func() {
		if err := c.conn.SendStreamItem(u.id, raw); err != nil {
			notSent(client.ErrorString(err))
		}
	})
}

var queueMicrotask = js.Global().Get("queueMicrotask")

// chain sends the messages of one invocation's client-to-server streams (their items and
// ends) one after the other, each in a microtask after the one that wrote the message before,
// so after the frame that carried it: signalr.js chains them on its send promises, and so
// never joins them in one frame.
type chain struct {
	c       *core
	running int // streams that have not ended
	pending []func()
	waiting bool // the pump is queued
	pump    js.Func
}

func (ch *chain) enqueue(send func()) {
	ch.pending = append(ch.pending, send)
	if !ch.waiting {
		ch.waiting = true
		queueMicrotask.Invoke(ch.pump)
	}
}

func (ch *chain) sendNext() {
	if len(ch.pending) == 0 {
		ch.waiting = false
		if ch.running == 0 {
			jsutil.Release(ch.pump)
		}
		return
	}
	send := ch.pending[0]
	ch.pending[0] = nil
	ch.pending = ch.pending[1:]
	send()
	queueMicrotask.Invoke(ch.pump)
}

// releaseUploads lets go of the chains of the streams still running, when the connection is
// disposed of: their messages are no longer sent.
func (c *core) releaseUploads() {
	for key, u := range c.uploads {
		delete(c.uploads, key)
		ch := u.ch
		ch.pending = nil
		if ch.running > 0 {
			ch.running = 0
			if !ch.waiting {
				jsutil.Release(ch.pump)
			}
		}
	}
}
