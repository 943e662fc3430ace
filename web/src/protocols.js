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

// pageFetch(client) is fetch as the engine calls it (transport/http_js.go), done by the page's
// own HttpClient, withUrl's httpClient, which signalr.js sends every HTTP request through. Each
// request is shaped as signalr.js's HttpConnection and transports shape it: negotiate is a POST
// with empty content, a send a POST with its content, a poll a GET with an abortSignal
// (signalr.js's kind: `aborted` and `onabort`), the DELETE neither. The answer reads as a fetch
// Response: any HttpResponse the client returns is `ok` (the engine checks its status, as
// signalr.js does), and an HttpError it throws is a response that is not, with the error's
// text; a TimeoutError it throws for a poll is an empty answer, which the engine polls again
// after with the line signalr.js logs for both; anything else it throws is the request's
// error.
function pageFetch(client) {
    return async (url, init) => {
        const { method, headers, body, timeout, responseType } = init;
        const withCredentials = init.credentials === "include";
        let request;
        if (method === "GET") {
            const abortSignal = { aborted: false, onabort: null };
            init.signal.addEventListener("abort", () => {
                abortSignal.aborted = true;
                if (abortSignal.onabort) {
                    abortSignal.onabort();
                }
            });
            request = { abortSignal, headers, timeout, withCredentials };
            if (responseType) {
                request.responseType = responseType;
            }
        } else if (method === "POST" && body === undefined) {
            request = { content: "", headers, timeout, withCredentials };
        } else if (method === "POST") {
            const binary = typeof body !== "string";
            request = { content: binary ? body.buffer : body, headers, responseType: binary ? "arraybuffer" : "text", timeout, withCredentials };
        } else {
            request = { headers, timeout, withCredentials };
        }
        request.method = method;
        request.url = url;
        let ok = true;
        let status;
        let statusText;
        let content;
        try {
            ({ statusCode: status, statusText, content } = await client.send(request));
        } catch (e) {
            if (method === "GET" && e instanceof TimeoutError) {
                // A poll that timed out: signalr.js polls again, as after an empty answer.
                return { ok: true, status: 200, statusText: "", text: () => "", arrayBuffer: () => new ArrayBuffer(0) };
            }
            if (!(e instanceof HttpError)) {
                throw e;
            }
            const suffix = `: Status code '${e.statusCode}'`;
            ok = false;
            status = e.statusCode;
            statusText = e.message.endsWith(suffix) ? e.message.slice(0, -suffix.length) : e.message;
        }
        content ??= "";
        return {
            ok, status: status | 0, statusText: statusText ?? "",
            text: () => typeof content === "string" ? content : new TextDecoder().decode(content),
            arrayBuffer: () => typeof content === "string" ? new TextEncoder().encode(content) : content,
        };
    };
}

// DefaultHttpClient is signalr.js's, for pages that extend it or call it themselves: the
// engine's own requests go through Go's fetch (transport/http_js.go), which does the same.
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
        const abortController = new AbortController();
        let error;
        if (request.abortSignal) {
            request.abortSignal.onabort = () => {
                abortController.abort();
                error = new AbortError();
            };
        }
        let timeoutId = null;
        if (request.timeout) {
            timeoutId = setTimeout(() => {
                abortController.abort();
                this._logger.log(LogLevel.Warning, "Timeout from HTTP request.");
                error = new TimeoutError();
            }, request.timeout);
        }
        if (request.content === "") {
            request.content = undefined;
        }
        if (request.content) {
            request.headers = request.headers || {};
            request.headers["Content-Type"] = request.content instanceof ArrayBuffer ? "application/octet-stream" : "text/plain;charset=UTF-8";
        }
        let response;
        try {
            response = await fetch(request.url, {
                body: request.content,
                cache: "no-cache",
                credentials: request.withCredentials === true ? "include" : "same-origin",
                headers: { "X-Requested-With": "XMLHttpRequest", ...request.headers },
                method: request.method,
                mode: "cors",
                redirect: "follow",
                signal: abortController.signal,
            });
        } catch (e) {
            if (error) {
                throw error;
            }
            this._logger.log(LogLevel.Warning, `Error from HTTP request. ${e}.`);
            throw e;
        } finally {
            if (timeoutId) {
                clearTimeout(timeoutId);
            }
            if (request.abortSignal) {
                request.abortSignal.onabort = null;
            }
        }
        if (!response.ok) {
            throw new HttpError(await response.text() || response.statusText, response.status);
        }
        const responseType = request.responseType;
        if (responseType === "blob" || responseType === "document" || responseType === "json") {
            throw new Error(`${responseType} is not supported.`);
        }
        const content = await (responseType === "arraybuffer" ? response.arrayBuffer() : response.text());
        return new HttpResponse(response.status, response.statusText, content);
    }
}
