// A minimal Fieldline client: sign in, open the socket, resume after a drop.
// Runs in a browser or in Node.js 22+ (global fetch and WebSocket):
//   node docs/examples/client.js http://127.0.0.1:8000 wang.jl fieldline-demo
// The protocol is in docs/api.md ("Real-time channel"); a real client also
// stores lastSeq with its local copy of the data, so a restart resumes too.

const [base, login, password] = typeof process !== "undefined"
  ? process.argv.slice(2)
  : [location.origin, "wang.jl", "fieldline-demo"];

let tokens = null;   // {access_token, refresh_token, expires_in}
let lastSeq = null;  // the seq of the last durable event handled

async function api(method, path, body) {
  const call = () => fetch(base + path, {
    method,
    headers: {
      "Content-Type": "application/json",
      ...(tokens && { Authorization: `Bearer ${tokens.access_token}` }),
      // A create sent twice (offline retry) makes one record.
      ...(method === "POST" && { "Idempotency-Key": crypto.randomUUID() }),
    },
    body: body && JSON.stringify(body),
  });
  let response = await call();
  if (response.status === 401 && tokens) {  // access token expired: refresh once, retry
    await refresh();
    response = await call();
  }
  const answer = response.status === 204 ? null : await response.json();
  if (!response.ok) {
    // {"error": {"code", "message", "details"}}; quote X-Request-ID when reporting a 5xx
    throw new Error(`${answer.error.code}: ${answer.error.message} (${response.headers.get("X-Request-ID")})`);
  }
  return answer;
}

async function signIn() {
  tokens = await api("POST", "/api/v1/auth/login", { login, password });
  console.log("signed in as", tokens.user.name);
}

async function refresh() {
  const response = await fetch(base + "/api/v1/auth/refresh", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ refresh_token: tokens.refresh_token }),
  });
  if (!response.ok) throw new Error("session ended: sign in again");
  tokens = await response.json();  // the old refresh token is spent: never use it again
}

function connect(attempt = 0) {
  const url = new URL("/ws", base.replace(/^http/, "ws"));
  url.searchParams.set("token", tokens.access_token);
  if (lastSeq !== null) url.searchParams.set("since", String(lastSeq));  // resume
  const socket = new WebSocket(url);

  socket.onmessage = (message) => {
    const frame = JSON.parse(message.data);
    if (frame.type === "hello") {
      attempt = 0;
      if (lastSeq === null) lastSeq = frame.data.last_seq;  // first connection: start from now
    } else if (frame.type === "resync_required") {
      console.log("missed too much: re-read lists through REST, then carry on live");
      lastSeq = null;
    } else if (frame.seq !== undefined) {
      if (frame.seq <= lastSeq) return;  // already handled
      lastSeq = frame.seq;
      console.log("event", frame.seq, frame.type, frame.data);
    } else {
      console.log(frame.type, frame.data ?? frame);  // typing, presence, ack, pong, error
    }
  };

  socket.onclose = async (event) => {
    if (event.code === 4403) return console.log("session revoked: sign in again");
    if (event.code === 4401) await refresh().catch(() => signIn());
    const delay = Math.min(30000, 500 * 2 ** attempt) * (0.5 + Math.random());  // back off, jittered
    setTimeout(() => connect(attempt + 1), delay);
  };
  return socket;
}

async function main() {
  await signIn();
  const socket = connect();
  socket.addEventListener("open", async () => {
    socket.send(JSON.stringify({ type: "ping" }));
    const me = await api("GET", "/api/v1/me");
    const due = new Date(Date.now() + 3600e3).toISOString();
    await api("POST", "/api/v1/tasks", { title: "Try the socket", due_at: due, assignee_id: me.id });
    // The socket now receives {"seq": n, "type": "task.updated", ...}.
  }, { once: true });
}

main().catch((error) => { console.error(error.message); });
