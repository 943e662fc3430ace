// A module Web Worker that imports our ES module: the built one, or the one the query names
// (the packed package's, in the package tests).
const signalR = await import(new URL(self.location).searchParams.get("client") ?? "/dist/browser/signalr.mjs");

async function run() {
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
