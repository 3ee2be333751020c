// The todos page: plain JavaScript, no build step. The token lives in this tab only.
"use strict";

const state = { name: null, userId: null, token: null };
const $ = (selector) => document.querySelector(selector);

function say(text, refused) {
  const message = $("#message");
  message.textContent = text;
  message.className = refused ? "refused" : "";
}

function userIdOf(token) {
  const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(payload)).sub;
}

async function api(method, path, body) {
  const headers = {};
  if (state.token) headers["Authorization"] = "Bearer " + state.token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.ok) {
    return response.status === 204 ? null : response.json();
  }
  // Problem details (RFC 7807) say what the server refused and why.
  let problem = {};
  try { problem = await response.json(); } catch { /* no body */ }
  const details = problem.detail || (problem.errors ? Object.values(problem.errors).flat().join(" ") : "");
  const error = new Error(`${response.status} ${problem.title || response.statusText}${details ? ": " + details : ""}`);
  error.status = response.status;
  throw error;
}

function render(todos) {
  const list = $("#todos");
  list.replaceChildren();
  for (const todo of todos) {
    const item = document.createElement("li");
    item.dataset.id = todo.id;
    item.className = todo.isComplete ? "done" : "";

    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = todo.isComplete;
    box.setAttribute("aria-label", "Done: " + todo.task);
    box.addEventListener("change", () => run(async () => {
      await api("PATCH", `/api/todos/${todo.id}`, { isComplete: box.checked });
      say(`Marked "${todo.task}" ${box.checked ? "done" : "not done"}.`);
    }));

    const text = document.createElement("span");
    text.className = "task";
    text.textContent = todo.task;

    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "delete";
    remove.textContent = "Delete";
    remove.addEventListener("click", () => run(async () => {
      await api("DELETE", `/api/todos/${todo.id}`);
      say(`Deleted "${todo.task}".`);
    }));

    item.append(box, text, remove);
    list.append(item);
  }
  $("#empty").hidden = todos.length !== 0;
}

async function refresh() {
  render(await api("GET", "/api/todos"));
}

// Runs an action, then shows the list as the server now has it; a refusal is shown, never hidden.
// The list is aria-busy from the start of the action until it shows the server's answer.
async function run(action) {
  $("#todos").setAttribute("aria-busy", "true");
  try {
    await action();
  } catch (error) {
    say("The server refused: " + error.message, true);
  }
  try {
    await refresh();
  } catch (error) {
    render([]);
    say("The server refused: " + error.message, true);
  }
  $("#todos").removeAttribute("aria-busy");
}

async function signIn(name) {
  $("#todos").setAttribute("aria-busy", "true");
  const response = await fetch(`/dev/token/${encodeURIComponent(name)}`);
  if (!response.ok) {
    say(`No development token for ${name} (${response.status}): the server runs with a real issuer.`, true);
    $("#todos").removeAttribute("aria-busy");
    return;
  }
  state.token = (await response.text()).trim();
  state.name = name;
  state.userId = userIdOf(state.token);
  $("#who").textContent = `Signed in as ${name[0].toUpperCase()}${name.slice(1)} (${state.userId})`;
  say("");
  await run(async () => {});
}

function signOut() {
  Object.assign(state, { name: null, userId: null, token: null });
  $("#who").textContent = "Not signed in";
  say("");
  run(async () => {});
}

document.querySelectorAll("#account button[data-name]").forEach((button) =>
  button.addEventListener("click", () => signIn(button.dataset.name)));
$("#sign-out").addEventListener("click", signOut);
$("#add-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("#new-task");
  const task = input.value;
  run(async () => {
    const todo = await api("POST", "/api/todos", { task });
    input.value = "";
    say(`Added "${todo.task}" (#${todo.id}).`);
  });
});

run(async () => {});
