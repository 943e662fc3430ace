"use strict";

// What loading a client adds to or changes on the global object, in a page (globals.html) or
// in a worker (this script as a classic or module worker, ?client=URL): the global's own
// keys before loading it and after a connection has started, invoked and stopped.

// globalsAfterLoading loads client (a classic script, or an ES module when it ends in .mjs)
// and connects; with ownGlobals, the page first has its own process, fs, path and Go.
async function globalsAfterLoading(client, ownGlobals) {
    const own = ownGlobals ? { process: { env: { NODE_ENV: "production" } }, fs: {}, path: {}, Go: function Go() {} } : {};
    Object.assign(globalThis, own);
    const before = Object.getOwnPropertyNames(globalThis);
    const signalR = await load(client);
    const c = new signalR.HubConnectionBuilder()
        .withUrl(self.location.origin + "/testhub")
        .configureLogging(signalR.LogLevel.None)
        .build();
    await c.start();
    const echoed = await c.invoke("Echo", "loaded");
    await c.stop();
    const after = Object.getOwnPropertyNames(globalThis);
    return {
        echoed,
        added: after.filter((k) => !before.includes(k)),
        removed: before.filter((k) => !after.includes(k)),
        changed: Object.keys(own).filter((k) => globalThis[k] !== own[k]),
    };
}

async function load(client) {
    if (client.endsWith(".mjs")) {
        return import(client);
    }
    if (typeof document === "undefined") {
        importScripts(client);
    } else {
        await new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = client;
            script.onload = resolve;
            script.onerror = () => reject(new Error("cannot load " + client));
            document.head.append(script);
        });
    }
    return globalThis.signalR;
}

if (typeof document === "undefined") {
    const params = new URL(self.location).searchParams;
    globalsAfterLoading(params.get("client"), params.has("own"))
        .then((r) => self.postMessage(r), (e) => self.postMessage({ error: String(e) }));
}
