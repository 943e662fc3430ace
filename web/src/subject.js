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
