// Package jsevents receives a WebSocket's or an EventSource's events through the facade's
// listenEvents, and each connection's batches of calls through its postCalls; it sends a
// WebSocket's frames through its sendFrame (web/src/events.js's goInbox).
//
// A message is the hot path, and it does not cross as a js.FuncOf call: that call costs a
// JS event object, new js.Values for `this`, the arguments and the data (each with a
// finalizer), and a UTF-16 to UTF-8 transcode through a second string. Instead the facade
// writes the message's bytes into Go memory (Room) and calls two wasm exports: Post, which
// queues the frame, and the runtime's resume, which runs Go until every goroutine is idle,
// as a js.FuncOf call does. The other events (an error, the close) are rare and cross as
// js.FuncOf calls with the event itself.
//
// The runtime's resume hands each call from JS to one event handler, on a goroutine of its
// own, which syscall/js installs to run js.FuncOf functions. Install puts handleEvent in its
// place: it delivers what Post queued right there, and leaves any other call to syscall/js's
// handler. A goroutine woken for the queue instead (a switch and a channel's two ends), and
// syscall/js reading the facade's pending event that a message does not have, were a fifth
// of Go's time per message received. The reference to syscall/js's handler needs the
// linker's -checklinkname=0 (build.sh, the Makefile's wasm tests): a Go whose syscall/js no
// longer has it fails to link, rather than running without it.
//
// Go's wasm is single-threaded and JS calls the exports only while Go waits for an event, so
// the queue needs no lock (a lock that a goroutine held while Go waits would block an
// export, which the runtime cannot survive). A socket never delivers a message inside a call
// from Go, and the facade's calls take a js.FuncOf call there instead, so Post is never
// nested in a delivery.
package jsevents

import (
	"runtime"
	"syscall/js"
	"unsafe"

	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

var listenEvents js.Value

// SendFrame is the facade's sendFrame (web/src/events.js) as Go calls it: it sends the
// pieces listed at table (count pairs of address and length, 32 bits each) joined, as one
// message of the WebSocket socket (its ValueID), text or binary (1), and panics with a
// js.Error when the socket throws, as syscall/js's Invoke does; it reports false when the
// socket was not OPEN, and sent nothing. In signalr.wasm it calls a
// wasm import (jsapi.Imports): Invoke converts each argument through js.ValueOf, a function
// large enough that V8 compiled it a second time, in the background, at about 100 ms, once
// a page had sent or delivered a few hundred times.
type SendFrame func(socket uint32, binary int32, table float64, count int32) (sent bool)

var sendFrame SendFrame

// Install is given the facade's goInbox and its sendFrame, before the first connection: the
// loader passes them through the bridge's init (a Go test, which has no loader, evaluates
// web/src/events.js, and calls its sendFrame through syscall/js).
func Install(inbox js.Value, send SendFrame) {
	listenEvents = inbox.Get("listenEvents")
	sendFrame = send
	setEventHandler(handleEvent)
}

// setEventHandler is the runtime's, which syscall/js's init calls with jsHandleEvent.
//
//go:linkname setEventHandler syscall/js.setEventHandler
func setEventHandler(fn func() bool)

// jsHandleEvent runs the js.FuncOf function of the call from JS, if it is one, and reports
// whether it was (otherwise the runtime's idle timer fired).
//
//go:linkname jsHandleEvent syscall/js.handleEvent
func jsHandleEvent() bool

// handleEvent is the runtime's event handler: the messages Post queued, or a js.FuncOf call.
func handleEvent() bool {
	if !postPending {
		return jsHandleEvent()
	}
	postPending = false
	deliverPosted()
	return true
}

// Send sends pieces, joined, as one message of socket (a WebSocket), text or binary; each
// piece holds whole frames. The facade reads them from Go's memory before Send returns: a
// string or a Uint8Array made here would cost a js.Value, with a finalizer, per frame. What
// the socket throws is a panic of a js.Error, as from syscall/js's Invoke. It reports false
// when the socket was not OPEN, and sent nothing: the browser's CLOSING socket (the server's
// close frame has come, the close event not yet) would drop the message without a throw.
func Send(socket js.Value, pieces [][]byte, binary bool) (sent bool) {
	table := sendTable[:0]
	for _, piece := range pieces {
		address, length := jsutil.Memory(piece)
		table = append(table, uint32(address), uint32(length))
	}
	sendTable = table
	var kind int32
	if binary {
		kind = 1
	}
	sent = sendFrame(jsutil.ValueID(socket), kind, float64(uintptr(unsafe.Pointer(unsafe.SliceData(table)))), int32(len(pieces)))
	runtime.KeepAlive(socket)
	runtime.KeepAlive(pieces)
	return sent
}

// sendTable is Send's table of pieces, kept from one send to the next.
var sendTable []uint32

// calls receives the batches of calls that the facade posts for a connection, under the
// connection's id negated (ReceiveCalls).
var calls func(connection int, batch []byte)

// ReceiveCalls has receive take every connection's batches of calls (web/src/connection.js),
// each in an Entry of its own, as a message.
func ReceiveCalls(receive func(connection int, batch []byte)) { calls = receive }

// Item is one message (Frame, its kind in Text) or one of the other events (Event). Frame
// is Go's only while the item is delivered (Post).
type Item struct {
	Frame []byte
	Text  bool
	Event js.Value
}

// Listener delivers one target's events, each in the call from JS that dispatched it.
type Listener struct {
	id      int
	deliver func(Item)
	wake    js.Func
	detach  js.Value
}

var (
	// listeners are the live ones, at their id - 1; a stopped one leaves its slot free.
	listeners []*Listener
	// room is the memory the facade writes a message into before Post.
	room []byte
	// posted are the messages Post queued, with their listener's id; postPending: the resume
	// that follows is theirs.
	posted      []post
	postPending bool
	// delivering is the frame being delivered while the facade still holds it as a string
	// of ASCII, whose UTF-16 units are the frame's bytes (TextAt).
	delivering []byte
)

type post struct {
	id    int
	item  Item
	ascii bool
}

// Listen takes over target's onmessage and the on<name> handlers of events; deliver runs
// for each item, on a goroutine that must not block. What it leaves for JS goes out before
// the event's call returns (jsutil.Entry), as signalr.js handles a message within its event.
func Listen(target js.Value, events []string, deliver func(Item)) *Listener {
	l := &Listener{deliver: deliver}
	for l.id < len(listeners) && listeners[l.id] != nil {
		l.id++
	}
	if l.id == len(listeners) {
		listeners = append(listeners, nil)
	}
	listeners[l.id] = l
	l.id++
	l.wake = jsutil.FuncOf(func(_ js.Value, args []js.Value) any {
		jsutil.Guard(func() { jsutil.Entry(func() { deliver(Item{Event: args[0]}) }) })
		return nil
	})
	names := make([]any, len(events))
	for i, name := range events {
		names[i] = name
	}
	l.detach = listenEvents.Invoke(target, names, l.wake, l.id)
	return l
}

// Room returns where the facade writes a message of up to size bytes; it stays there (Go's
// collector does not move memory) until the message is delivered.
//
//go:wasmexport signalrInboxRoom
func Room(size int32) unsafe.Pointer {
	defer recoverExport()
	if int(size) > cap(room) {
		// Doubling: a frame a little larger each time would otherwise make a room each.
		room = make([]byte, max(int(size), 2*cap(room)))
	}
	room = room[:cap(room)]
	return unsafe.Pointer(unsafe.SliceData(room))
}

// Post queues the message of n bytes the facade wrote at Room for listener id (or the batch
// of calls for connection -id); handleEvent delivers it when the facade resumes Go. ascii:
// the message is text that the facade keeps as its string while Go delivers it, and every
// byte is one of its UTF-16 units.
//
// The message is delivered where the facade wrote it, not copied: a frame's copy, a large
// allocation for a frame of many messages, was a tenth of the time a stream's joined frames
// took, with the collections it brought. So an Item's Frame is Go's only during its
// delivery: what keeps a frame, or a part of it, after deliver returns copies it.
//
//go:wasmexport signalrInboxPost
func Post(id, n int32, text, ascii bool) {
	defer recoverExport()
	posted = append(posted, post{int(id), Item{Frame: room[:n:n], Text: text}, ascii})
	postPending = true
}

// recoverExport keeps a bad call from ending the program: an export has no caller in Go
// to hand an error to, and a message it cannot take is dropped.
func recoverExport() { _ = recover() }

// deliverPosted delivers what Post queued, each message in an Entry of its own, as it would
// be if it had come in a js.FuncOf call.
func deliverPosted() {
	// posted keeps its array: a message a turn would otherwise allocate a new one.
	for i := 0; i < len(posted); i++ {
		p := posted[i]
		posted[i] = post{}
		if p.ascii && i == len(posted)-1 { // the facade holds the last one it posted
			delivering = p.item.Frame
		}
		if p.id < 0 && calls != nil {
			jsutil.Guard(func() { jsutil.Entry(func() { calls(-p.id, p.item.Frame) }) })
		} else if l := listener(p.id); l != nil {
			jsutil.Guard(func() { jsutil.Entry(func() { l.deliver(p.item) }) })
		}
		delivering = nil
	}
	posted = posted[:0]
}

// TextAt is where the facade's textAt (web/src/events.js) finds text, a slice of Go's
// memory: as jsutil.Memory gives it, or, when text lies in the message being delivered and
// the facade holds that message as a string of ASCII, as ^offset within it, which the facade
// takes with a substring instead of decoding it from Go's memory. A handler's JSON arguments
// are such a slice: decoding a chat message's 90 bytes took the page 3 to 9 µs, the
// substring a tenth of a microsecond.
func TextAt(text []byte) (at, length int) {
	if len(delivering) > 0 && len(text) > 0 {
		start := uintptr(unsafe.Pointer(unsafe.SliceData(delivering)))
		p := uintptr(unsafe.Pointer(unsafe.SliceData(text)))
		if p >= start && p-start+uintptr(len(text)) <= uintptr(len(delivering)) {
			return ^int(p - start), len(text)
		}
	}
	address, length := jsutil.Memory(text)
	return int(address), length
}

// listener is the live listener of id, or nil.
func listener(id int) *Listener {
	if id < 1 || id > len(listeners) {
		return nil
	}
	return listeners[id-1]
}

// Stop detaches the handlers; call it once.
func (l *Listener) Stop() {
	listeners[l.id-1] = nil
	l.detach.Invoke()
	jsutil.Release(l.wake)
}
