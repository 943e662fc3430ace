"use strict";

// The chat sample of the ASP.NET Core SignalR JavaScript client docs, as it is there,
// plus the connected-clients list and the connection state.
const connection = new signalR.HubConnectionBuilder()
    .withUrl("/chathub")
    .configureLogging(signalR.LogLevel.Information)
    .build();

async function start() {
    try {
        await connection.start();
        console.log("SignalR Connected.");
    } catch (err) {
        console.log(err);
        setTimeout(start, 5000);
    }
    showState();
}

connection.onclose(async () => {
    showState();
    await start();
});

connection.on("ReceiveMessage", (user, message) => {
    const li = document.createElement("li");
    li.textContent = `${user} says ${message}`;
    document.getElementById("messagesList").appendChild(li);
});

document.getElementById("sendButton").addEventListener("click", async (event) => {
    const user = document.getElementById("userInput").value;
    const message = document.getElementById("messageInput").value;
    try {
        await connection.invoke("SendMessage", user, message);
    } catch (err) {
        console.error(err);
    }
    event.preventDefault();
});

// Who is online: the whole list on connect, then joins and leaves.
const clients = new Set();

function showClients() {
    const list = document.getElementById("clientsList");
    list.replaceChildren(...[...clients].sort().map((id) => {
        const li = document.createElement("li");
        li.textContent = id === connection.connectionId ? `${id} (you)` : id;
        return li;
    }));
}

connection.on("clients", (ids) => {
    clients.clear();
    ids.forEach((id) => clients.add(id));
    showClients();
});
connection.on("userJoined", (id) => { clients.add(id); showClients(); });
connection.on("userLeaved", (id) => { clients.delete(id); showClients(); });

function showState() {
    document.getElementById("connectionState").textContent = connection.state;
}
setInterval(showState, 500);

start();
