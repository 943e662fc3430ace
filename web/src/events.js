// eventListener(go) makes the listenEvents that hands a WebSocket's or an EventSource's
// events to the Go of go (internal/jsevents).
//
// A message crosses without a js.Value: its data is written into Go's memory (a string as
// UTF-8, as Go reads strings; an ArrayBuffer's bytes as they are), and two wasm exports take
// it from there: signalrInboxPost queues it for listener id, and the runtime's resume runs Go
// until it is idle again, as a call to a Go function does. The other events (eventNames:
// "error", "close") are rare and go to wake(undefined, event).
//
// Each event is one call, as signalr.js handles each in a listener call of its own: the
// page's microtasks run between two messages (a Promise settled by one message resumes its
// awaiter before the next message is read), whatever Go does with them. The returned
// function detaches the listeners.
function eventListener(go) {
    const exports = go._inst.exports;
    const encoder = new ShortTextEncoder();
    let at = 0;
    let room = 0;
    const post = (id, data) => {
        const text = typeof data === "string";
        // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4).
        const size = text ? data.length * 3 : data.byteLength;
        if (size > room) {
            at = exports.signalrInboxRoom(size) >>> 0;
            room = size;
        }
        const view = new Uint8Array(exports.mem.buffer, at, size);
        let n = size;
        if (text) {
            n = encoder.encodeInto(data, view).written;
        } else {
            view.set(new Uint8Array(data));
        }
        exports.signalrInboxPost(id, n, text);
        go._resume();
    };
    return function listenEvents(target, eventNames, wake, id) {
        target.onmessage = (event) => post(id, event.data);
        for (const name of eventNames) {
            target["on" + name] = (event) => wake(event);
        }
        return () => {
            target.onmessage = null;
            for (const name of eventNames) {
                target["on" + name] = null;
            }
        };
    };
}
