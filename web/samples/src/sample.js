// The sample app's work, given the client's namespace: connect, invoke, receive a message.
export async function runSample(signalR) {
    const connection = new signalR.HubConnectionBuilder()
        .withUrl("/testhub")
        .configureLogging(signalR.LogLevel.Warning)
        .build();
    const pushed = new Promise((resolve) => connection.on("Message", resolve));
    await connection.start();
    const echoed = await connection.invoke("Echo", "from " + document.title);
    await connection.invoke("InvokeWithString", "pushed");
    const message = await pushed;
    await connection.stop();
    return { echoed, message, state: connection.state };
}
