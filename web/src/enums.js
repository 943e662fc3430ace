// The enums of signalr.js. Numeric ones are reverse-mapped like TypeScript's, because pages
// (and signalr.js itself) read them both ways: LogLevel[2] === "Information".
function numericEnum(members) {
    const e = {};
    for (const [name, value] of Object.entries(members)) {
        e[name] = value;
        e[value] = name;
    }
    return e;
}

const HubConnectionState = {
    Disconnected: "Disconnected",
    Connecting: "Connecting",
    Connected: "Connected",
    Disconnecting: "Disconnecting",
    Reconnecting: "Reconnecting",
};

const LogLevel = numericEnum({ Trace: 0, Debug: 1, Information: 2, Warning: 3, Error: 4, Critical: 5, None: 6 });
const HttpTransportType = numericEnum({ None: 0, WebSockets: 1, ServerSentEvents: 2, LongPolling: 4 });
const TransferFormat = numericEnum({ Text: 1, Binary: 2 });
const MessageType = numericEnum({
    Invocation: 1, StreamItem: 2, Completion: 3, StreamInvocation: 4, CancelInvocation: 5,
    Ping: 6, Close: 7, Ack: 8, Sequence: 9,
});

const VERSION = "10.0.11";
