// listenEvents hands a WebSocket's or an EventSource's events to Go (internal/jsevents) with
// what Go reads of them already taken out: a message's data, as a string or as the bytes of
// its ArrayBuffer, or the event itself for the others (eventNames: "error", "close").
// Each event is one call, as signalr.js handles each in a listener call of its own: the
// page's microtasks run between two messages (a Promise settled by one message resumes its
// awaiter before the next message is read), whatever Go does with them. The returned
// function detaches the listeners.
function listenEvents(target, eventNames, wake) {
    target.onmessage = (event) => {
        const data = event.data;
        wake(typeof data === "string" ? data : new Uint8Array(data));
    };
    for (const name of eventNames) {
        target["on" + name] = (event) => wake(undefined, event);
    }
    return () => {
        target.onmessage = null;
        for (const name of eventNames) {
            target["on" + name] = null;
        }
    };
}
