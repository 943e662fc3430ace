// batchEvents queues a WebSocket's or an EventSource's events in JS and hands them to Go in
// one call per task (internal/eventbatch): the browser dispatches a burst of messages in one
// task, and a JS->Go call costs tens of microseconds where queueing one costs one.
//
// target's messages and the events named in endEvents (e.g. "error", "close") are recorded
// in order; wake(text, index, bytes, events) receives them: text is every text message
// joined, bytes every binary one, events the other events, and index the order, one entry
// per item: "t<UTF-16 units>,", "b<bytes>," or "e". A batch leaves in a MessageChannel
// task, which runs after the messages already dispatched. The returned function detaches the
// listeners and returns what was not handed over yet, as the same four values, so that a
// close made by Go still sees every message the browser had delivered before it.
function batchEvents(target, endEvents, wake) {
    let text = "";
    let index = "";
    let chunks = [];
    let events = [];
    let queued = false;
    const channel = new MessageChannel();
    const take = () => {
        let bytes = null;
        if (chunks.length === 1) {
            bytes = chunks[0];
        } else if (chunks.length > 1) {
            bytes = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.length, 0));
            let at = 0;
            for (const chunk of chunks) {
                bytes.set(chunk, at);
                at += chunk.length;
            }
        }
        const batch = [text, index, bytes, events];
        text = "";
        index = "";
        chunks = [];
        events = [];
        return batch;
    };
    // The first event after a batch goes to Go at once: a lone message (an invocation's
    // completion) waits for no other task; those that follow it in the same task wait for
    // the batch.
    const queue = () => {
        if (!queued) {
            queued = true;
            channel.port2.postMessage(null);
            wake(...take());
        }
    };
    channel.port1.onmessage = () => {
        queued = false;
        if (index !== "") {
            wake(...take());
        }
    };
    target.onmessage = (event) => {
        const data = event.data;
        if (typeof data === "string") {
            text += data;
            index += "t" + data.length + ",";
        } else {
            chunks.push(new Uint8Array(data));
            index += "b" + data.byteLength + ",";
        }
        queue();
    };
    for (const name of endEvents) {
        target["on" + name] = (event) => {
            events.push(event);
            index += "e";
            queue();
        };
    }
    return () => {
        target.onmessage = null;
        for (const name of endEvents) {
            target["on" + name] = null;
        }
        channel.port1.onmessage = null;
        channel.port1.close();
        return take();
    };
}
