// Subject is signalr.js's: what stream() returns, and what a page passes to invoke/send/stream
// to stream to the server. Items go to the observers subscribed at the time, as in signalr.js
// (nothing is buffered for later subscribers).
class Subject {
    constructor() {
        this.observers = [];
    }

    next(item) {
        for (const observer of this.observers) {
            observer.next(item);
        }
    }

    error(err) {
        for (const observer of this.observers) {
            if (observer.error) {
                observer.error(err);
            }
        }
    }

    complete() {
        for (const observer of this.observers) {
            if (observer.complete) {
                observer.complete();
            }
        }
    }

    subscribe(observer) {
        this.observers.push(observer);
        return new SubjectSubscription(this, observer);
    }

    // Beyond signalr.js: `for await (const item of connection.stream(...))`, what the .NET
    // client's StreamAsync gives C#. The loop's iterator is one more subscriber.
    [Symbol.asyncIterator]() {
        return new SubjectIterator(this);
    }
}

// The last subscription disposed cancels the stream on the server.
class SubjectSubscription {
    constructor(subject, observer) {
        this._subject = subject;
        this._observer = observer;
    }

    dispose() {
        const index = this._subject.observers.indexOf(this._observer);
        if (index > -1) {
            this._subject.observers.splice(index, 1);
        }
        if (this._subject.observers.length === 0 && this._subject.cancelCallback) {
            this._subject.cancelCallback().catch(() => {});
        }
    }
}

// SubjectIterator subscribes as soon as the loop starts, so items that arrive while the loop
// body awaits something else wait here, in order. A loop left early (break, return, a throw)
// calls return(), which disposes the subscription: the last one disposed cancels the stream
// on the server. A stream that ended needs no cancel, so then nothing is disposed.
class SubjectIterator {
    constructor(subject) {
        this._items = [];
        this._waiting = [];
        this._end = undefined; // { error } or { done: true }, once the stream has ended
        this._subscription = subject.subscribe({
            next: (value) => this._push({ value, done: false }),
            error: (error) => this._finish({ error }),
            complete: () => this._finish({ done: true }),
        });
    }

    next() {
        if (this._items.length > 0) {
            return Promise.resolve(this._items.shift());
        }
        if (this._end) {
            const end = this._end;
            this._end = { done: true }; // an error is thrown once, then the iterator is done
            return "error" in end ? Promise.reject(end.error) : Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => this._waiting.push({ resolve, reject }));
    }

    return(value) {
        if (!this._end) {
            this._subscription.dispose();
        }
        this._end = { done: true };
        this._items = [];
        this._finish(this._end);
        return Promise.resolve({ value, done: true });
    }

    [Symbol.asyncIterator]() {
        return this;
    }

    _push(result) {
        const waiter = this._waiting.shift();
        if (waiter) {
            waiter.resolve(result);
        } else {
            this._items.push(result);
        }
    }

    _finish(end) {
        this._end = end;
        for (const waiter of this._waiting.splice(0)) {
            if ("error" in this._end) {
                this._end = { done: true }; // the first waiting next() throws, the others are done
                waiter.reject(end.error);
            } else {
                waiter.resolve({ value: undefined, done: true });
            }
        }
    }
}
