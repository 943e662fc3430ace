// The ASP.NET Core SignalR JavaScript client docs' samples, written against @microsoft/signalr,
// with only the module name changed: `make test` type-checks them against our declarations.
import * as signalR from "signalr-wasm";

const connection = new signalR.HubConnectionBuilder()
    .withUrl("/chathub")
    .withAutomaticReconnect()
    .configureLogging(signalR.LogLevel.Information)
    .build();

async function start(): Promise<void> {
    try {
        await connection.start();
        console.log("SignalR Connected.");
    } catch (err) {
        console.log(err);
        setTimeout(start, 5000);
    }
}

connection.onclose(async () => {
    await start();
});

connection.on("ReceiveMessage", (user: string, message: string) => {
    const li = document.createElement("li");
    li.textContent = `${user}: ${message}`;
    document.getElementById("messageList")?.appendChild(li);
});

connection.onreconnecting((error?: Error) => {
    console.assert(connection.state === signalR.HubConnectionState.Reconnecting);
    console.log(`Connection lost due to error "${error}". Reconnecting.`);
});

connection.onreconnected((connectionId?: string) => {
    console.assert(connection.state === signalR.HubConnectionState.Connected);
    console.log(`Connection reestablished. Connected with connectionId "${connectionId}".`);
});

async function send(user: string, message: string): Promise<void> {
    try {
        await connection.invoke("SendMessage", user, message);
        const sum = await connection.invoke<number>("Add", 1, 2);
        console.log(sum.toFixed(0));
    } catch (err) {
        console.error(err);
    }
}

// Streaming, both ways.
connection.stream<number>("Counter", 10, 500).subscribe({
    next: (item) => console.log(item.toFixed(0)),
    complete: () => console.log("Stream completed"),
    error: (err) => console.log(err),
});
// Beyond signalr.js: the same stream with for await (the item is a number, the error the server's).
async function countTo(limit: number): Promise<number> {
    let last = -1;
    try {
        for await (const item of connection.stream<number>("Counter", 10, 500)) {
            last = item;
            if (item.toFixed(0) === String(limit)) {
                break; // cancels the stream on the server
            }
        }
    } catch (err) {
        console.log(err);
    }
    return last;
}
void countTo(5);
const subject = new signalR.Subject<string>();
void connection.send("UploadStream", subject);
subject.next("item");
subject.complete();

// Retry policy and options.
const custom = new signalR.HubConnectionBuilder()
    .withUrl("/chathub", {
        skipNegotiation: true,
        transport: signalR.HttpTransportType.WebSockets,
        accessTokenFactory: () => "token",
        headers: { "X-Name": "value" },
    })
    .withAutomaticReconnect({
        nextRetryDelayInMilliseconds: (retryContext: signalR.RetryContext) =>
            retryContext.elapsedMilliseconds < 60000 ? Math.random() * 10000 : null,
    })
    .withServerTimeout(60000)
    .withKeepAliveInterval(15000)
    .configureLogging("warn")
    .build();
custom.serverTimeoutInMilliseconds = 120000;

// Errors pages test with instanceof.
function describe(err: unknown): string {
    if (err instanceof signalR.HttpError) {
        return `HTTP ${err.statusCode}`;
    }
    if (err instanceof signalR.TimeoutError || err instanceof signalR.AbortError) {
        return err.message;
    }
    return String(err);
}

// A custom logger.
class MyLogger implements signalR.ILogger {
    log(logLevel: signalR.LogLevel, message: string): void {
        console.log(signalR.LogLevel[logLevel], message);
    }
}
new signalR.HubConnectionBuilder().withUrl("/hub").configureLogging(new MyLogger()).build();
new signalR.HubConnectionBuilder().withUrl("/hub").configureLogging(signalR.NullLogger.instance).build();

// signalr-wasm's additions.
new signalR.HubConnectionBuilder().withUrl("/hub").withTabKeepAlive(false).withStartRetry([0, 1000]).build();

void start();
void send;
void describe;

// The MessagePack sample, with the add-on's global path and the ESM named export.
const packed = new signalR.HubConnectionBuilder()
    .withUrl("/chathub")
    .withHubProtocol(new signalR.protocols.msgpack.MessagePackHubProtocol())
    .build();
const packedToo = new signalR.HubConnectionBuilder()
    .withUrl("/chathub")
    .withHubProtocol(new signalR.MessagePackHubProtocol())
    .build();
const json = new signalR.HubConnectionBuilder().withUrl("/chathub").withHubProtocol(new signalR.JsonHubProtocol()).build();
void [packed, packedToo, json];

// withUrl's httpClient: a page's own client, here DefaultHttpClient with a header of its own.
class HeaderClient extends signalR.DefaultHttpClient {
    send(request: signalR.HttpRequest): Promise<signalR.HttpResponse> {
        request.headers = { ...request.headers, "X-Tenant": "contoso" };
        if (request.abortSignal && request.abortSignal.aborted) {
            return Promise.reject(new signalR.AbortError());
        }
        return super.send(request);
    }
}
const withOwnClient = new signalR.HubConnectionBuilder()
    .withUrl("/chathub", { httpClient: new HeaderClient(signalR.NullLogger.instance) })
    .build();
withOwnClient.start().catch(() => {});
