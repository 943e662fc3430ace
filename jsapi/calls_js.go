package jsapi

import (
	"runtime"
	"strings"
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/internal/jstext"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// Calls cross the boundary in one call per turn of the event loop each way (see doc.go for
// the formats): a crossing costs tens of microseconds, a message a few.
const (
	recordEnd = '\x1e' // ends a record; JSON text never holds it unescaped
)

// calls runs one turn's worth of the page's send, invoke, stream and cancelStream calls, and
// of the items and ends of their client-to-server streams, in the order the page made them,
// as one client.Batch. The batch is Go's only while calls runs (the facade writes the next
// message over it), and so are its records' strings: what outlives the run copies them.
//
// The sends settle once the batch's frames have left (client.Batch), as signalr.js's settle
// once its send queue has handed their frame to the transport: when that throws, they and
// the batch's invocations fail with what it threw.
func (c *core) calls(batch string) {
	c.conn.Batch(func() { c.runCalls(batch) }, c.settleSends)
	c.turnFailed = false
}

// settleSends settles the sends made since the last batch's frames left, with their outcome.
// When they failed, the batch's invocations and streams fail next (client.Batch).
func (c *core) settleSends(err error) {
	c.turnFailed = err != nil
	for _, run := range c.unsent {
		for key := run.first; key <= run.last; key++ {
			if err != nil {
				deliverError(key, err)
			} else {
				deliverSent(key)
			}
		}
	}
	c.unsent = c.unsent[:0]
}

// keyRun is the keys first to last.
type keyRun struct{ first, last int }

// addUnsent adds send() key to the sends that settleSends settles. A turn's sends mostly have
// consecutive keys: a key each would grow a slice through a burst's thousands, in a fresh
// page's first burst a collection's worth of garbage.
func (c *core) addUnsent(key int) {
	if n := len(c.unsent); n > 0 && c.unsent[n-1].last == key-1 {
		c.unsent[n-1].last = key
		return
	}
	c.unsent = append(c.unsent, keyRun{key, key})
}

func (c *core) runCalls(batch string) {
	var started map[int]string
	var r callRecord // each record in turn (parseCall says why one)
	for len(batch) > 0 {
		batch = parseCall(batch, &r)
		switch r.kind {
		case 'y', 'z', 'l':
			c.streamRecord(&r)
			continue
		case 'x':
			if r.id == "" {
				r.id = started[r.key] // a stream started and cancelled in the same turn
			}
			if r.id != "" {
				// An error (not connected) is not the page's: signalr.js's goes nowhere.
				_ = c.conn.CancelStream(r.id)
			}
			continue
		}
		if id := c.call(&r); id != "" {
			if started == nil {
				started = map[int]string{}
			}
			started[r.key] = id
		}
	}
}

// callRecord is one record of a batch (see doc.go): a call ('i' invoke, 's' send, 't'
// stream), the cancel of a stream ('x', with its invocation id), or a record of a
// client-to-server stream ('y' an item, 'z' its end, 'l' a failed subscription, with their
// error text as name). key is the facade's, by which results come back; a call's
// client-to-server streams have the keys after it.
type callRecord struct {
	kind    byte
	key     int
	streams int
	name    string
	args    string
	id      string
}

// parseCall reads `x<key>,<id>` or `<kind><key>,<streams>,<name length>,<name><args>`, ended
// by recordEnd, into r, and returns the rest. The name's length counts UTF-16 units, as JS
// does: the name is the page's string as it is, so it may hold any character. r is set field
// by field: in wasm a record (72 bytes) returned, zeroed or passed by value is each time a call
// into the engine (memory.copy, memory.fill), three or four a call the page makes.
func parseCall(batch string, r *callRecord) string {
	r.kind, r.streams, r.name, r.args, r.id = batch[0], 0, "", "", ""
	batch = batch[1:]
	r.key, batch = number(batch)
	if r.kind == 'x' {
		r.id, batch = upToEnd(batch[1:])
		return batch
	}
	r.streams, batch = number(batch[1:])
	var units int
	units, batch = number(batch[1:])
	batch = batch[1:]
	i := jsutil.UTF16Prefix(batch, units)
	r.name, batch = batch[:i], batch[i:]
	r.args, batch = upToEnd(batch)
	return batch
}

// upToEnd cuts s at the end of its first record.
func upToEnd(s string) (field, rest string) {
	end := strings.IndexByte(s, recordEnd)
	return s[:end], s[end+1:]
}

// number reads the decimal at the start of s.
func number(s string) (int, string) {
	n, i := 0, 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n, s[i:]
}

// call does the synchronous part of one call; results come back to the facade as deliveries.
// For a stream, it returns the stream's invocation id.
func (c *core) call(r *callRecord) (streamID string) {
	// The callbacks capture only the key: r is the batch's, taken again by its next record.
	key := r.key
	raw, err := c.codec.EncodeText(r.args)
	if err != nil {
		deliverError(key, err)
		return ""
	}
	ids := c.conn.StreamIDs(r.streams)
	launch := c.launchStreams(key+1, ids)
	switch r.kind {
	case 'i':
		c.sending = true
		c.conn.InvokeAsync(r.name, raw, ids, c, key)
		c.sending = false
	case 's':
		done, err := c.conn.Send(r.name, raw, ids)
		switch {
		case err != nil:
			deliverError(key, err)
			return ""
		case done == nil:
			c.addUnsent(key)
		default:
			c.settleLater(key, done)
		}
	case 't':
		c.sending = true
		streamID = c.conn.StreamAsync(r.name, raw, ids,
			func(item protocol.Raw) {
				if text, tagged, err := c.codec.Text(item); err != nil {
					c.streamCallbackThrew(err)
				} else {
					deliverItem(key, text, tagged)
				}
			},
			func(end error) {
				if end != nil {
					c.deliverFailure(key, end)
				} else {
					deliver('C', key, nil, false)
				}
			})
		c.sending = false
		// The facade keeps the id: signalr.js cancels a stream even after it has ended.
		deliver('I', key, []byte(streamID), false)
	}
	launch()
	return streamID
}

// settleLater settles send() key once done reports: an HTTP transport's POST answered, or
// room in a full stateful reconnect buffer. The sends waiting settle in call order, as
// signalr.js's settle: one goroutine waits on each in turn (a goroutine each would run in
// the scheduler's order, not theirs).
func (c *core) settleLater(key int, done <-chan error) {
	c.unsettled = append(c.unsettled, unsettledSend{key, done})
	if len(c.unsettled) > 1 {
		return
	}
	go func() {
		for len(c.unsettled) > 0 {
			s := c.unsettled[0]
			if err := <-s.done; err != nil {
				deliverError(s.key, err)
			} else {
				deliverSent(s.key)
			}
			c.unsettled = c.unsettled[1:]
		}
	}()
}

type unsettledSend struct {
	key  int
	done <-chan error
}

// Complete hands the page the end of the invoke key (client.Completions).
func (c *core) Complete(key int, result protocol.Raw, err error) {
	if err != nil {
		c.deliverFailure(key, err)
		return
	}
	c.deliverValue('R', key, result)
}

// deliverValue hands a result to the facade as the JSON text it parses.
func (c *core) deliverValue(kind byte, key int, value protocol.Raw) {
	text, tagged, err := c.codec.Text(value)
	if err != nil {
		deliverError(key, err)
		return
	}
	deliver(kind, key, text, tagged)
}

func (c *core) streamCallbackThrew(err error) { logStreamCallbackError(c.log, err) }

// logStreamCallbackError logs, as signalr.js does, what a stream's observer threw, or why
// its item could not be read.
func logStreamCallbackError(log client.Logger, err error) {
	log.Log(client.Error, "Stream callback threw error: "+errorDetail(err))
}

// deliveries is what the page must see, in order, waiting for the facade's deliver: results,
// stream items and ends, and the errors they carry (errs, a JS array made only when needed).
var deliveries struct {
	text  []byte
	errs  js.Value
	nerrs int
	// sentOpen: the text ends in a run of sends, `K<firstSent>,` so far, which the next
	// consecutive key extends and anything else closes (closeRun).
	sentOpen            bool
	firstSent, lastSent int
	// itemsOpen: the text ends in a run of stream itemsKey's items, `M<itemsKey>,[<item>`
	// and more, which the stream's next item extends and anything else closes.
	itemsOpen bool
	itemsKey  int
	queued    bool
	flush     js.Func
}

// deliverImport is the loader's import signalr.deliver (Imports): the facade's deliver of
// the text at address, with the errors errs (their ValueID, 0 for none); -1 when it threw.
var deliverImport func(address float64, length int32, errs uint32) int32

// deliver records `<kind><key>,<text>` (a lowercase kind: text needs the MessagePack reviver)
// and makes sure it reaches the page before anything else Go calls there.
func deliver(kind byte, key int, text []byte, tagged bool) {
	if tagged {
		kind += 'a' - 'A'
	}
	startRecord(kind, key)
	d := &deliveries
	d.text = append(d.text, text...)
	d.text = append(d.text, recordEnd)
}

// deliverItem records a stream's item. Consecutive items of one stream are one record, a
// JSON array that the facade parses once (a stream's items mostly come many to a frame, each
// a record and a JSON.parse of its own was a fifth of the facade's time); an item that needs
// the MessagePack reviver is a record of its own.
func deliverItem(key int, text []byte, tagged bool) {
	d := &deliveries
	switch {
	case tagged:
		deliver('N', key, text, true)
		return
	case d.itemsOpen && d.itemsKey == key:
		d.text = append(d.text, ',')
	default:
		startRecord('M', key)
		d.text = append(d.text, '[')
		d.itemsOpen, d.itemsKey = true, key
	}
	d.text = append(d.text, text...)
}

// startRecord writes `<kind><key>,`, after the run it ends.
func startRecord(kind byte, key int) {
	closeRun()
	d := &deliveries
	d.text = append(d.text, kind)
	d.text = jstext.AppendInt(d.text, int64(key))
	d.text = append(d.text, ',')
	if !d.queued {
		d.queued = true
		if !jsutil.BeforeReturn(flushQueuedDeliveries) {
			queueMicrotask.Invoke(d.flush)
		}
	}
}

// deliverSent records that send() key's Promise resolves. A record per send of a burst,
// parsed and settled one by one, was a third of a warm burst's sending: consecutive keys
// are one record, `K<first>,<last>` (a single key is `K<key>,`).
func deliverSent(key int) {
	d := &deliveries
	if d.sentOpen && d.lastSent == key-1 {
		d.lastSent = key
		return
	}
	startRecord('K', key)
	d.sentOpen, d.firstSent, d.lastSent = true, key, key
}

// closeRun ends the text's run of sends or of items, if it has one.
func closeRun() {
	d := &deliveries
	switch {
	case d.sentOpen:
		d.sentOpen = false
		if d.lastSent != d.firstSent {
			d.text = jstext.AppendInt(d.text, int64(d.lastSent))
		}
		d.text = append(d.text, recordEnd)
	case d.itemsOpen:
		d.itemsOpen = false
		d.text = append(d.text, ']', recordEnd)
	}
}

// flushQueuedDeliveries is the flush that deliver queued, before the call from JS returns
// or in a microtask.
func flushQueuedDeliveries() {
	deliveries.queued = false
	flushDeliveries()
}

// deliverError records `E<key>,<index>`: the key's call failed with errs[index].
func deliverError(key int, err error) { deliverErrorAs('E', key, err) }

// deliverFailure records the end of the invoke or stream key with err, as E, or as one of
// the failures that signalr.js settles in a reaction to a send's Promise:
//   - F: at its own send (the connection was not Connected). signalr.js's reaction is queued
//     at the call; the facade settles it a microtask later, so that the page's reactions to
//     the turn's send()s, rejected at once, come first, and a stream's error in its place.
//   - X: its turn's frame could not be sent. signalr.js reacts to its send queue's Promise at
//     each call; the facade made such a reaction to its turn's Promise, and rejects that.
func (c *core) deliverFailure(key int, err error) {
	switch {
	case c.sending:
		deliverErrorAs('F', key, err)
	case c.turnFailed:
		deliverErrorAs('X', key, err)
	default:
		deliverError(key, err)
	}
}

func deliverErrorAs(kind byte, key int, err error) {
	d := &deliveries
	if d.nerrs == 0 {
		d.errs = js.Global().Get("Array").New()
	}
	d.errs.SetIndex(d.nerrs, jsError(err))
	deliver(kind, key, jstext.AppendInt(nil, int64(d.nerrs)), false)
	d.nerrs++
}

// flushDeliveries hands what is recorded to the facade. Every call from Go into page code
// (a handler, a callback, a logger) flushes first, so the page sees everything in the order
// it happened; the rest is flushed before the call from JS that produced it returns, or in
// a microtask.
func flushDeliveries() {
	closeRun()
	d := &deliveries
	if len(d.text) == 0 {
		return
	}
	errs, errsID := d.errs, uint32(0)
	if d.nerrs > 0 {
		errsID = jsutil.ValueID(errs)
	}
	// The facade reads the text before it calls page code, which may record more here.
	address, length := jsutil.Memory(d.text)
	d.text, d.errs, d.nerrs = d.text[:0], js.Undefined(), 0
	result := deliverImport(float64(address), int32(length), errsID)
	runtime.KeepAlive(errs)
	panicIfThrown(result)
}
