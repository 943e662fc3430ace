// A classic Web Worker that loads a client with importScripts, as pages do with signalr.js.
importScripts(new URL(self.location).searchParams.get("client"));

async function run() {
    // In a worker there is no document to resolve a relative URL against: absolute, as signalr.js needs.
    const c = new signalR.HubConnectionBuilder()
        .withUrl(self.location.origin + "/testhub")
        .configureLogging(signalR.LogLevel.None)
        .build();
    const received = new Promise((resolve) => c.on("hit", resolve));
    await c.start();
    const echoed = await c.invoke("Echo", "from a worker");
    await c.send("SendToCaller", "hit", "pushed");
    const pushed = await received;
    await c.stop();
    return { echoed, pushed, state: c.state };
}

run().then((r) => self.postMessage(r), (e) => self.postMessage({ error: String(e) }));
