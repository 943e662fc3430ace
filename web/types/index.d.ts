// Types of signalr-wasm: the public API of @microsoft/signalr 10 that signalr-wasm implements,
// declared as @microsoft/signalr declares it, so that code written against it compiles when
// only the module name changes; plus signalr-wasm's own builder options. APIs that
// signalr-wasm does not have (a custom HttpClient passed in the options, custom transports,
// calling a protocol's parseMessages/writeMessage directly) are left out, so that code using
// them fails at compile time, not at run time.

export declare const VERSION: string;

export declare enum HubConnectionState {
    Disconnected = "Disconnected",
    Connecting = "Connecting",
    Connected = "Connected",
    Disconnecting = "Disconnecting",
    Reconnecting = "Reconnecting",
}

export declare enum LogLevel {
    Trace = 0,
    Debug = 1,
    Information = 2,
    Warning = 3,
    Error = 4,
    Critical = 5,
    None = 6,
}

export declare enum HttpTransportType {
    None = 0,
    WebSockets = 1,
    ServerSentEvents = 2,
    LongPolling = 4,
}

export declare enum TransferFormat {
    Text = 1,
    Binary = 2,
}

export declare enum MessageType {
    Invocation = 1,
    StreamItem = 2,
    Completion = 3,
    StreamInvocation = 4,
    CancelInvocation = 5,
    Ping = 6,
    Close = 7,
    Ack = 8,
    Sequence = 9,
}

export interface ILogger {
    log(logLevel: LogLevel, message: string): void;
}

export declare class NullLogger implements ILogger {
    static instance: ILogger;
    private constructor();
    log(_logLevel: LogLevel, _message: string): void;
}

export declare class HttpError extends Error {
    statusCode: number;
    constructor(errorMessage: string, statusCode: number);
}

export declare class TimeoutError extends Error {
    constructor(errorMessage?: string);
}

export declare class AbortError extends Error {
    constructor(errorMessage?: string);
}

export interface MessageHeaders {
    [key: string]: string;
}

export interface IHttpConnectionOptions {
    headers?: MessageHeaders;
    /** Every HTTP request (negotiate; Long Polling's polls, sends and DELETE) goes through it. */
    httpClient?: HttpClient;
    transport?: HttpTransportType;
    logger?: ILogger | LogLevel;
    accessTokenFactory?(): string | Promise<string>;
    logMessageContent?: boolean;
    skipNegotiation?: boolean;
    withCredentials?: boolean;
    timeout?: number;
}

export interface IStatefulReconnectOptions {
    bufferSize: number;
}

export interface RetryContext {
    readonly previousRetryCount: number;
    readonly elapsedMilliseconds: number;
    readonly retryReason: Error;
}

export interface IRetryPolicy {
    nextRetryDelayInMilliseconds(retryContext: RetryContext): number | null;
}

export interface IStreamSubscriber<T> {
    closed?: boolean;
    next(value: T): void;
    error(err: any): void;
    complete(): void;
}

export interface ISubscription<T> {
    dispose(): void;
}

/** Beyond @microsoft/signalr: also an async iterable, for `for await (const item of connection.stream(...))`. */
export interface IStreamResult<T> extends AsyncIterable<T> {
    subscribe(subscriber: IStreamSubscriber<T>): ISubscription<T>;
}

export declare class Subject<T> implements IStreamResult<T> {
    constructor();
    next(item: T): void;
    error(err: any): void;
    complete(): void;
    subscribe(observer: IStreamSubscriber<T>): ISubscription<T>;
    [Symbol.asyncIterator](): AsyncIterator<T>;
}

export type HubMessage = InvocationMessage | StreamInvocationMessage | StreamItemMessage | CompletionMessage |
    CancelInvocationMessage | PingMessage | CloseMessage | AckMessage | SequenceMessage;

export interface HubMessageBase {
    readonly type: MessageType;
}

export interface HubInvocationMessage extends HubMessageBase {
    readonly headers?: MessageHeaders;
    readonly invocationId?: string;
}

export interface InvocationMessage extends HubInvocationMessage {
    readonly type: MessageType.Invocation;
    readonly target: string;
    readonly arguments: any[];
    readonly streamIds?: string[];
}

export interface StreamInvocationMessage extends HubInvocationMessage {
    readonly type: MessageType.StreamInvocation;
    readonly invocationId: string;
    readonly target: string;
    readonly arguments: any[];
    readonly streamIds?: string[];
}

export interface StreamItemMessage extends HubInvocationMessage {
    readonly type: MessageType.StreamItem;
    readonly invocationId: string;
    readonly item?: any;
}

export interface CompletionMessage extends HubInvocationMessage {
    readonly type: MessageType.Completion;
    readonly invocationId: string;
    readonly error?: string;
    readonly result?: any;
}

export interface PingMessage extends HubMessageBase {
    readonly type: MessageType.Ping;
}

export interface CloseMessage extends HubMessageBase {
    readonly type: MessageType.Close;
    readonly error?: string;
    readonly allowReconnect?: boolean;
}

export interface CancelInvocationMessage extends HubInvocationMessage {
    readonly type: MessageType.CancelInvocation;
    readonly invocationId: string;
}

export interface AckMessage extends HubMessageBase {
    readonly type: MessageType.Ack;
    readonly sequenceId: number;
}

export interface SequenceMessage extends HubMessageBase {
    readonly type: MessageType.Sequence;
    readonly sequenceId: number;
}

/** The protocol is chosen by name: "json" is built in. */
export interface IHubProtocol {
    readonly name: string;
    readonly version: number;
    readonly transferFormat: TransferFormat;
    parseMessages(input: string | ArrayBuffer, logger: ILogger): HubMessage[];
    writeMessage(message: HubMessage): string | ArrayBuffer;
}

/** The JSON hub protocol (the default); give it to withHubProtocol. */
export declare class JsonHubProtocol {
    readonly name: "json";
    readonly version: number;
    readonly transferFormat: TransferFormat;
    constructor();
}

/** The MessagePack hub protocol, built in (no add-on); also at signalR.protocols.msgpack. */
export declare class MessagePackHubProtocol {
    readonly name: "messagepack";
    readonly version: number;
    readonly transferFormat: TransferFormat;
    /** @msgpack/msgpack options are accepted and ignored: values use the add-on's defaults. */
    constructor(messagePackOptions?: object);
}

export declare const protocols: { msgpack: { MessagePackHubProtocol: typeof MessagePackHubProtocol; VERSION: string } };

/** What a request's abortSignal is, as in signalr.js: not the browser's AbortSignal. */
export interface AbortSignal {
    aborted: boolean;
    onabort: (() => void) | null;
}

export interface HttpRequest {
    method?: string;
    url?: string;
    content?: string | ArrayBuffer;
    headers?: MessageHeaders;
    responseType?: XMLHttpRequestResponseType;
    abortSignal?: AbortSignal;
    timeout?: number;
    withCredentials?: boolean;
}

export declare class HttpResponse {
    readonly statusCode: number;
    readonly statusText?: string | undefined;
    readonly content?: string | ArrayBuffer | undefined;
    constructor(statusCode: number);
    constructor(statusCode: number, statusText: string);
    constructor(statusCode: number, statusText: string, content: string);
    constructor(statusCode: number, statusText: string, content: ArrayBuffer);
    constructor(statusCode: number, statusText: string, content: string | ArrayBuffer);
}

export declare abstract class HttpClient {
    get(url: string, options?: HttpRequest): Promise<HttpResponse>;
    post(url: string, options?: HttpRequest): Promise<HttpResponse>;
    delete(url: string, options?: HttpRequest): Promise<HttpResponse>;
    abstract send(request: HttpRequest): Promise<HttpResponse>;
    getCookieString(url: string): string;
}

export declare class DefaultHttpClient extends HttpClient {
    constructor(logger: ILogger);
    send(request: HttpRequest): Promise<HttpResponse>;
    getCookieString(url: string): string;
}

export declare class HubConnection {
    serverTimeoutInMilliseconds: number;
    keepAliveIntervalInMilliseconds: number;
    private constructor();
    get state(): HubConnectionState;
    get connectionId(): string | null;
    get baseUrl(): string;
    set baseUrl(url: string);
    start(): Promise<void>;
    stop(): Promise<void>;
    stream<T = any>(methodName: string, ...args: any[]): IStreamResult<T>;
    send(methodName: string, ...args: any[]): Promise<void>;
    invoke<T = any>(methodName: string, ...args: any[]): Promise<T>;
    on(methodName: string, newMethod: (...args: any[]) => any): void;
    off(methodName: string): void;
    off(methodName: string, method: (...args: any[]) => void): void;
    onclose(callback: (error?: Error) => void): void;
    onreconnecting(callback: (error?: Error) => void): void;
    onreconnected(callback: (connectionId?: string) => void): void;
}

export declare class HubConnectionBuilder {
    configureLogging(logLevel: LogLevel): HubConnectionBuilder;
    configureLogging(logger: ILogger): HubConnectionBuilder;
    configureLogging(logLevel: string): HubConnectionBuilder;
    configureLogging(logging: LogLevel | string | ILogger): HubConnectionBuilder;
    withUrl(url: string): HubConnectionBuilder;
    withUrl(url: string, transportType: HttpTransportType): HubConnectionBuilder;
    withUrl(url: string, options: IHttpConnectionOptions): HubConnectionBuilder;
    withHubProtocol(protocol: IHubProtocol | JsonHubProtocol | MessagePackHubProtocol): HubConnectionBuilder;
    withAutomaticReconnect(): HubConnectionBuilder;
    withAutomaticReconnect(retryDelays: number[]): HubConnectionBuilder;
    withAutomaticReconnect(reconnectPolicy: IRetryPolicy): HubConnectionBuilder;
    withServerTimeout(milliseconds: number): HubConnectionBuilder;
    withKeepAliveInterval(milliseconds: number): HubConnectionBuilder;
    withStatefulReconnect(options?: IStatefulReconnectOptions): HubConnectionBuilder;
    /** signalr-wasm: hold a Web Lock while connected so the tab is not frozen (default true). */
    withTabKeepAlive(enabled?: boolean): HubConnectionBuilder;
    /** signalr-wasm: retry a failing first start() with a retry policy's shapes. */
    withStartRetry(): HubConnectionBuilder;
    withStartRetry(retryDelays: number[]): HubConnectionBuilder;
    withStartRetry(retryPolicy: IRetryPolicy): HubConnectionBuilder;
    build(): HubConnection;
}

/** signalr-wasm: set before the script or module loads to fetch signalr.wasm from elsewhere. */
export interface SignalRWasmConfig {
    wasmURL?: string | URL | Response | ArrayBuffer | ArrayBufferView | WebAssembly.Module;
}
