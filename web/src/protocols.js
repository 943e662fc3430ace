// The hub protocols a page hands to withHubProtocol. Both live in Go (protocol/); these
// objects only name them, as signalr.js's IHubProtocol does, and the bridge picks the Go
// protocol by name. A page that also loads the official msgpack add-on still works: its
// protocol object has the same name.
class JsonHubProtocol {
    constructor() {
        this.name = "json";
        this.version = 2;
        this.transferFormat = TransferFormat.Text;
    }
}

class MessagePackHubProtocol {
    // messagePackOptions (@msgpack/msgpack's encoder options) are not supported: the values
    // are always encoded with the add-on's defaults.
    constructor(messagePackOptions) {
        this.name = "messagepack";
        this.version = 2;
        this.transferFormat = TransferFormat.Binary;
    }
}

// signalR.protocols.msgpack is where the official add-on puts itself on the global.
const protocols = { msgpack: { MessagePackHubProtocol, VERSION } };

// The HTTP classes signalr.js exports. Ours makes its requests in Go; these exist so that
// code that names or extends them keeps working.
class HttpResponse {
    constructor(statusCode, statusText, content) {
        this.statusCode = statusCode;
        this.statusText = statusText;
        this.content = content;
    }
}

class HttpClient {
    get(url, options) { return this.send({ ...options, method: "GET", url }); }
    post(url, options) { return this.send({ ...options, method: "POST", url }); }
    delete(url, options) { return this.send({ ...options, method: "DELETE", url }); }
    getCookieString(url) { return ""; }
}

class DefaultHttpClient extends HttpClient {
    constructor(logger) {
        super();
        this._logger = logger;
    }

    async send(request) {
        if (request.abortSignal && request.abortSignal.aborted) {
            throw new AbortError();
        }
        if (!request.method) {
            throw new Error("No method defined.");
        }
        if (!request.url) {
            throw new Error("No url defined.");
        }
        const response = await fetch(request.url, {
            method: request.method,
            body: request.content,
            headers: { "X-Requested-With": "XMLHttpRequest", ...request.headers },
            credentials: request.withCredentials === true ? "include" : "same-origin",
            signal: request.abortSignal,
        });
        if (!response.ok) {
            throw new HttpError(response.statusText, response.status);
        }
        const content = request.responseType === "arraybuffer" ? await response.arrayBuffer() : await response.text();
        return new HttpResponse(response.status, response.statusText, content);
    }
}
