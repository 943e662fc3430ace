// goInbox(go) is how text reaches the Go of go, and leaves it, without a js.Value
// (internal/jsevents): a WebSocket's or an EventSource's messages (listenEvents) and the
// facade's batches of calls (postCalls) in; what Go hands the page (textAt) and a WebSocket's
// frames (sendFrame) out.
//
// Text crosses as bytes written into Go's memory (a string as UTF-8, as Go reads strings; an
// ArrayBuffer's bytes as they are), and two wasm exports take it from there:
// signalrInboxPost queues it for listener id (a connection's calls: for -id), and the
// runtime's resume runs Go until it is idle again, as a call to a Go function does. A call to a Go function (a js.Func) would
// cost Go a js.Value, with a finalizer, for the call's event, `this`, its arguments and the
// text, and a read of each by name.
//
// The exports may not be called while Go is itself inside a call to JS (a handler calling
// stop(), which sends the turn's calls first): only a js.Func may enter Go then. inGo counts
// the resumes under way, so that postCalls can tell, and says no.
function goInbox(go) {
    const exports = go._inst.exports;
    const encoder = new ShortTextEncoder();
    const decoder = new ShortTextDecoder();
    let at = 0;
    let room = 0;
    let inGo = 0;
    // delivering is the message Go is delivering, when it is ASCII text (textAt).
    let delivering;
    const resume = go._resume;
    go._resume = function () {
        inGo++;
        try {
            return resume.apply(this, arguments);
        } finally {
            inGo--;
        }
    };
    const makeRoom = (size) => {
        if (size > room) {
            at = exports.signalrInboxRoom(size) >>> 0;
            room = size;
        }
    };
    const post = (id, data) => {
        const text = typeof data === "string";
        let n = text ? data.length : data.byteLength;
        // Text is written as if it were ASCII, a byte a UTF-16 unit, and again into room for
        // the most it can take (3 bytes a unit; a surrogate pair, 2 units, is 4) if it is not
        // and does not fit: room for the most at once had a fresh page's first burst of 5000
        // sends allocate 300 KB in Go, 1 to 10 ms of the 30 to 100 its turn's calls took.
        makeRoom(n);
        if (text) {
            let encoded = encoder.encodeInto(data, new Uint8Array(exports.mem.buffer, at, room));
            if (encoded.read < data.length) {
                makeRoom(data.length * 3);
                encoded = encoder.encodeInto(data, new Uint8Array(exports.mem.buffer, at, room));
            }
            n = encoded.written;
        } else {
            new Uint8Array(exports.mem.buffer, at, n).set(new Uint8Array(data));
        }
        const ascii = text && n === data.length;
        exports.signalrInboxPost(id, n, text, ascii);
        delivering = ascii ? data : undefined;
        try {
            go._resume();
        } finally {
            delivering = undefined;
        }
    };
    // Each event is one call, as signalr.js handles each in a listener call of its own: the
    // page's microtasks run between two messages (a Promise settled by one message resumes
    // its awaiter before the next message is read), whatever Go does with them. The other
    // events (eventNames: "error", "close") are rare and go to wake(undefined, event). A
    // socket never dispatches an event while Go runs. The returned function detaches the
    // listeners.
    const listenEvents = (target, eventNames, wake, id) => {
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
    // postCalls hands the batch of calls of the connection id to Go (posted under -id) and
    // reports true, or reports false while Go is inside a call to JS.
    const postCalls = (id, batch) => {
        if (inGo > 0) {
            return false;
        }
        post(-id, batch);
        return true;
    };
    // textAt is the text Go wrote at address: Go hands over where its text lies in its memory,
    // as a string would cost it a js.Value, and a finalizer, per call (jsutil.Memory). A
    // negative address is ^offset within the message being delivered (jsevents.TextAt).
    const textAt = (address, length) => address < 0
        ? delivering.substring(~address, ~address + length)
        : decoder.decode(new Uint8Array(exports.mem.buffer, address, length));
    // sendFrame sends the pieces Go wrote, joined, as one message of the WebSocket that is
    // socket in Go's table of values, text or binary (1): a turn's frames, in pieces that
    // each hold whole frames (so each piece is whole UTF-8 text), listed at table as count
    // pairs of address and length (jsevents.SendFrame; the loader makes it a wasm import).
    // It returns 0, or 1 when the socket is not OPEN and nothing was sent: a CLOSING socket
    // drops what it is given without a throw, where signalr.js's transport reads readyState
    // first and fails the send (Go decides what that means).
    const sendFrame = (socket, binary, table, count) => {
        const ws = go._values[socket];
        if (ws.readyState !== 1) { // WebSocket.OPEN
            return 1;
        }
        send(ws, binary === 1, new Uint32Array(exports.mem.buffer, table, 2 * count));
        return 0;
    };
    const send = (socket, binary, pieces) => {
        if (pieces.length === 2) {
            socket.send(binary ? new Uint8Array(exports.mem.buffer, pieces[0], pieces[1]).slice() : textAt(pieces[0], pieces[1]));
            return;
        }
        if (!binary) {
            let text = "";
            for (let i = 0; i < pieces.length; i += 2) {
                text += textAt(pieces[i], pieces[i + 1]);
            }
            socket.send(text);
            return;
        }
        let size = 0;
        for (let i = 1; i < pieces.length; i += 2) {
            size += pieces[i];
        }
        const message = new Uint8Array(size);
        for (let i = 0, at = 0; i < pieces.length; at += pieces[i + 1], i += 2) {
            message.set(new Uint8Array(exports.mem.buffer, pieces[i], pieces[i + 1]), at);
        }
        socket.send(message);
    };
    return { listenEvents, postCalls, textAt, sendFrame };
}
