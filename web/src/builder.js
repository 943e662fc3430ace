// HubConnectionBuilder collects configuration with signalr.js's checks and texts; build()
// hands it to a HubConnection, which passes it to Go once the module is there.
const logLevelNames = {
    trace: LogLevel.Trace, debug: LogLevel.Debug, info: LogLevel.Information,
    information: LogLevel.Information, warn: LogLevel.Warning, warning: LogLevel.Warning,
    error: LogLevel.Error, critical: LogLevel.Critical, none: LogLevel.None,
};

function requireArg(value, name) {
    if (value === null || value === undefined) {
        throw new Error(`The '${name}' argument is required.`);
    }
}

// resolveUrl is signalr.js's: an <a> element resolves a page-relative URL; without a
// document (a worker) only absolute URLs work, and build() throws as signalr.js's does.
function resolveUrl(url) {
    if (url.lastIndexOf("https://", 0) === 0 || url.lastIndexOf("http://", 0) === 0) {
        return url;
    }
    if (typeof window === "undefined" || !window.document) {
        throw new Error(`Cannot resolve '${url}'.`);
    }
    const a = window.document.createElement("a");
    a.href = url;
    return a.href;
}

class NullLogger {
    log() {}
}
NullLogger.instance = new NullLogger();

const defaultRetryDelays = [0, 2000, 10000, 30000, null];

class DefaultReconnectPolicy {
    constructor(retryDelays) {
        this._retryDelays = retryDelays !== undefined ? [...retryDelays, null] : defaultRetryDelays;
    }

    nextRetryDelayInMilliseconds(retryContext) {
        return this._retryDelays[retryContext.previousRetryCount];
    }
}

function retryPolicyOf(retryDelaysOrPolicy) {
    if (!retryDelaysOrPolicy) {
        return new DefaultReconnectPolicy();
    }
    if (Array.isArray(retryDelaysOrPolicy)) {
        return new DefaultReconnectPolicy(retryDelaysOrPolicy);
    }
    return retryDelaysOrPolicy;
}

class HubConnectionBuilder {
    configureLogging(logging) {
        requireArg(logging, "logging");
        if (logging.log !== undefined) {
            this.logger = logging;
        } else if (typeof logging === "string") {
            const level = logLevelNames[logging.toLowerCase()];
            if (level === undefined) {
                throw new Error(`Unknown log level: ${logging}`);
            }
            this.logger = level;
        } else {
            this.logger = logging;
        }
        return this;
    }

    withUrl(url, transportTypeOrOptions) {
        requireArg(url, "url");
        if (!url || /^\s*$/.test(url)) {
            throw new Error("The 'url' argument should not be empty.");
        }
        this.url = url;
        if (typeof transportTypeOrOptions === "object") {
            this.httpConnectionOptions = { ...this.httpConnectionOptions, ...transportTypeOrOptions };
        } else {
            this.httpConnectionOptions = { ...this.httpConnectionOptions, transport: transportTypeOrOptions };
        }
        return this;
    }

    withHubProtocol(protocol) {
        requireArg(protocol, "protocol");
        this.protocol = protocol;
        return this;
    }

    withAutomaticReconnect(retryDelaysOrReconnectPolicy) {
        if (this.reconnectPolicy) {
            throw new Error("A reconnectPolicy has already been set.");
        }
        this.reconnectPolicy = retryPolicyOf(retryDelaysOrReconnectPolicy);
        return this;
    }

    // Beyond signalr.js: retry a failing first start() with the same policy shapes as
    // withAutomaticReconnect, so that `await connection.start()` resolves once connected or
    // rejects with the last error when the policy gives up. Without it, start() fails at the
    // first error, as signalr.js's does.
    withStartRetry(retryDelaysOrPolicy) {
        this._startRetryPolicy = retryPolicyOf(retryDelaysOrPolicy);
        return this;
    }

    withServerTimeout(milliseconds) {
        requireArg(milliseconds, "milliseconds");
        this._serverTimeoutInMilliseconds = milliseconds;
        return this;
    }

    withKeepAliveInterval(milliseconds) {
        requireArg(milliseconds, "milliseconds");
        this._keepAliveIntervalInMilliseconds = milliseconds;
        return this;
    }

    // Beyond signalr.js: while connected or reconnecting, a connection holds a shared Web
    // Lock so that the browser does not throttle or freeze the tab. A page that prefers the
    // back/forward cache (which a lock prevents) turns it off with withTabKeepAlive(false).
    withTabKeepAlive(enabled = true) {
        this._tabKeepAlive = enabled !== false;
        return this;
    }

    withStatefulReconnect(options) {
        if (this.httpConnectionOptions === undefined) {
            this.httpConnectionOptions = {};
        }
        this.httpConnectionOptions._useStatefulReconnect = true;
        this._statefulReconnectBufferSize = options && options.bufferSize;
        return this;
    }

    build() {
        const options = this.httpConnectionOptions || {};
        if (!this.url) {
            throw new Error("The 'HubConnectionBuilder.withUrl' method must be called before building the connection.");
        }
        if (options.withCredentials !== undefined && typeof options.withCredentials !== "boolean") {
            throw new Error("withCredentials option was not a 'boolean' or 'undefined' value");
        }
        // A plain DefaultHttpClient is the engine's own fetch, with the logger it was made with;
        // any other client is the page's, which every HTTP request goes through (pageFetch).
        const httpClient = options.httpClient;
        const plainDefault = httpClient instanceof DefaultHttpClient && httpClient.send === DefaultHttpClient.prototype.send;
        return new HubConnection({
            url: resolveUrl(this.url),
            requestedUrl: this.url,
            options,
            httpFetch: httpClient && !plainDefault ? pageFetch(httpClient) : undefined,
            defaultHttpClientLogger: plainDefault ? httpClient._logger : undefined,
            logger: this.logger,
            protocol: this.protocol,
            reconnectPolicy: this.reconnectPolicy,
            startRetryPolicy: this._startRetryPolicy,
            tabKeepAlive: this._tabKeepAlive ?? true,
            statefulReconnectBufferSize: this._statefulReconnectBufferSize,
            serverTimeoutInMilliseconds: this._serverTimeoutInMilliseconds ?? 30000,
            keepAliveIntervalInMilliseconds: this._keepAliveIntervalInMilliseconds ?? 15000,
        });
    }
}
