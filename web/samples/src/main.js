// The sample app: written against @microsoft/signalr, with only the module name changed.
import * as signalR from "signalr-wasm";

const connection = new signalR.HubConnectionBuilder()
    .withUrl("/testhub")
    .configureLogging(signalR.LogLevel.Warning)
    .build();
const pushed = new Promise((resolve) => connection.on("Message", resolve));

async function run() {
    await connection.start();
    const echoed = await connection.invoke("Echo", "from " + document.title);
    await connection.invoke("InvokeWithString", "pushed");
    const message = await pushed;
    await connection.stop();
    return { echoed, message, state: connection.state };
}

window.sampleResult = run().catch((e) => ({ error: String(e) }));
