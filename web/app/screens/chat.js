// Chats: the list with unread counts, a conversation with live messages,
// typing and read cursors, and starting a direct, group or department chat.
import { useState, useEffect, useRef } from "preact/hooks";
import { get, post, newId } from "../api.js";
import { t } from "../i18n.js";
import { send } from "../socket.js";
import { html, useLoad, useEvent, Loading, Time, useColleagues, Avatar, Link, navigate, Empty, mergeById, FileChips } from "../ui.js";

function title(conversation, user, name) {
  if (conversation.title) return conversation.title;
  const others = conversation.member_ids.filter((id) => id !== user.id);
  return others.map(name).join("、") || user.name;
}

export function Conversations({ user }) {
  const { name } = useColleagues();
  const state = useLoad(() => get("/api/v1/conversations", { limit: 100 }), []);
  const refresh = () => state.reload();
  useEvent("message.new", refresh, []);
  useEvent("conversation.updated", refresh, []);
  useEvent("read.updated", refresh, []);
  useEvent("resync", refresh, []);
  return html`<section>
    <div class="row"><h2 class="grow">${t("chat")}</h2><${Link} to="/chat/new"><button class="primary">${t("newChat")}</button><//></div>
    <${Loading} state=${state}>${(d) => d.items.length ? html`<div class="list conversations">${d.items.map((c) => html`
      <${Link} to=${`/conversation/${c.id}`} class="conversation-row" data-conversation-id=${c.id}>
        <${Avatar} name=${title(c, user, name)} />
        <div class="main"><b>${title(c, user, name)}</b><div class="muted small">${c.last_message ? c.last_message.body : ""}</div></div>
        ${c.unread_count > 0 && html`<span class="badge unread">${c.unread_count}</span>`}<//>`)}</div>` : html`<${Empty} />`}<//>
  </section>`;
}

export function NewConversation({ user }) {
  const { list } = useColleagues();
  const [picked, setPicked] = useState([]);
  const [groupTitle, setGroupTitle] = useState("");
  const [error, setError] = useState(null);
  const others = list.filter((u) => u.id !== user.id);
  async function start(body) {
    setError(null);
    try { const c = await post("/api/v1/conversations", body); navigate(`/conversation/${c.id}`, true); }
    catch (e) { setError(Object.values(e.fields)[0] || e.message); }
  }
  const toggle = (id) => setPicked(picked.includes(id) ? picked.filter((x) => x !== id) : [...picked, id]);
  return html`<section>
    <h2>${t("newChat")}</h2>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${user.department_id && html`<p><button onClick=${() => start({ kind: "department", department_id: user.department_id })}>${t("departmentChat")}</button></p>`}
    <h3>${t("pickColleague")}</h3>
    <ul class="list">${others.map((u) => html`<li data-user-id=${u.id}>
      <input type="checkbox" aria-label=${u.name} checked=${picked.includes(u.id)} onChange=${() => toggle(u.id)} />
      <${Avatar} user=${u} /><div class="main"><b>${u.name}</b><div class="muted small">${u.title || ""}</div></div>
      <button class="link direct" onClick=${() => start({ kind: "direct", member_ids: [u.id] })}>${t("chat")}</button></li>`)}</ul>
    ${picked.length > 1 && html`<div class="card row"><input placeholder=${t("groupTitle")} value=${groupTitle} onInput=${(e) => setGroupTitle(e.target.value)} />
      <button class="primary" onClick=${() => start({ kind: "group", title: groupTitle, member_ids: picked })}>${t("createGroup")}</button></div>`}
  </section>`;
}

export function Conversation({ id, user }) {
  const cid = Number(id);
  const { name } = useColleagues();
  const info = useLoad(() => get("/api/v1/conversations", { limit: 200 }).then((r) => r.items.find((c) => c.id === cid) || null), [cid]);
  const [messages, setMessages] = useState(null);
  const [body, setBody] = useState("");
  const [typing, setTyping] = useState({});
  const [readBy, setReadBy] = useState({});
  const [error, setError] = useState(null);
  const bottom = useRef(null);
  const lastTyped = useRef(0);

  const load = () => get(`/api/v1/conversations/${cid}/messages`, { limit: 100 })
    .then((r) => setMessages([...r.items].sort((a, b) => a.id - b.id)), (e) => setError(e.message));
  useEffect(() => { load(); }, [cid]);
  const add = (m) => setMessages((list) => mergeById(list || [], m, true).sort((a, b) => a.id - b.id));
  useEvent("message.new", (f) => { if (f.data.conversation_id === cid) { add(f.data); setTyping((x) => ({ ...x, [f.data.sender_id]: 0 })); } }, [cid]);
  useEvent("message.edited", (f) => { if (f.data.conversation_id === cid) add(f.data); }, [cid]);
  useEvent("message.deleted", (f) => { if (f.data.conversation_id === cid) add(f.data); }, [cid]);
  useEvent("read.updated", (f) => { if (f.data.conversation_id === cid) setReadBy((r) => ({ ...r, [f.data.user_id]: f.data.up_to_message_id })); }, [cid]);
  useEvent("resync", load, [cid]);
  useEvent("typing", (f) => {
    if (f.data.conversation_id !== cid) return;
    setTyping((x) => ({ ...x, [f.data.user_id]: Date.now() }));
    setTimeout(() => setTyping((x) => ({ ...x })), 4500);
  }, [cid]);

  // Read up to the newest message while the conversation is open.
  const newest = messages && messages.length ? messages[messages.length - 1].id : 0;
  useEffect(() => {
    if (!newest) return;
    post(`/api/v1/conversations/${cid}/read`, { up_to_message_id: newest })
      .then(() => dispatchEvent(new Event("fieldline:unread")), () => {});
    bottom.current && bottom.current.scrollIntoView({ block: "end" });
  }, [newest]);

  async function submit(e) {
    e.preventDefault();
    const text = body.trim();
    if (!text) return;
    setError(null);
    try { add(await post(`/api/v1/conversations/${cid}/messages`, { client_id: newId(), body: text })); setBody(""); }
    catch (err) { setError((err.fields && err.fields.body) || err.message); }
  }
  function typed(e) {
    setBody(e.target.value);
    if (Date.now() - lastTyped.current > 2500) { lastTyped.current = Date.now(); send({ type: "typing", conversation_id: cid }); }
  }
  const typers = Object.entries(typing).filter(([, at]) => at && Date.now() - at < 4000).map(([uid]) => name(Number(uid)));
  const others = info.data ? info.data.member_ids.filter((m) => m !== user.id) : [];
  const seenUpTo = others.length ? Math.min(...others.map((m) => readBy[m] || 0)) : 0;
  return html`<section class="conversation" data-conversation-id=${cid}>
    <div class="row"><${Link} to="/chat">‹ ${t("back")}<//><h2 class="grow">${info.data ? title(info.data, user, name) : ""}</h2></div>
    <div class="messages">${messages === null ? html`<p class="muted">${t("loading")}</p>` : messages.map((m) => html`
      <div class=${"message" + (m.sender_id === user.id ? " mine" : "")} data-message-id=${m.id}>
        ${m.sender_id !== user.id && html`<div class="who">${name(m.sender_id)}</div>`}
        <span class="text">${m.deleted ? "—" : m.body}</span>
        ${!m.deleted && html`<${FileChips} files=${(m.attachments || []).map((id) => ({ id }))} />`}
        <div class="who"><${Time} at=${m.created_at} date=${false} />${m.sender_id === user.id && seenUpTo >= m.id ? " ✓✓" : ""}</div></div>`)}
      <div ref=${bottom}></div></div>
    <div class="typing" aria-live="polite">${typers.length ? t("typing", { name: typers.join("、") }) : ""}</div>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <form class="sendbar" onSubmit=${submit}><input name="message" value=${body} onInput=${typed} placeholder=${t("messagePlaceholder")} autocomplete="off" />
      <button class="primary" type="submit">${t("send")}</button></form>
  </section>`;
}

export const routes = [
  { path: "/chat", view: Conversations },
  { path: "/chat/new", view: NewConversation },
  { path: "/conversation/:id", view: Conversation },
];
