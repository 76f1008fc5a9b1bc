// 工作圈: the feed with posts, comments, likes and @-mention autocomplete,
// live over the socket.
import { useState, useRef } from "preact/hooks";
import { api, get, post } from "../api.js";
import { t } from "../i18n.js";
import { html, useLoad, useEvent, Loading, Time, useColleagues, Avatar, mergeById, Empty, Link, FileChips } from "../ui.js";

const CJK_NAME = /^[\u3400-\u9fff]+$/;

// What to write after "@" for a colleague: a Chinese name as it is, else the login.
export const mentionText = (user) => (CJK_NAME.test(user.name) ? user.name : user.login);

// A textarea that offers colleagues after "@" (by login or name, Chinese too).
export function MentionInput({ value, onInput, placeholder, name, rows = 3 }) {
  const { list } = useColleagues();
  const [query, setQuery] = useState(null);
  const [active, setActive] = useState(0);
  const ref = useRef(null);
  const matches = query === null ? [] : list.filter((u) => u.login.toLowerCase().includes(query.toLowerCase()) || u.name.includes(query)).slice(0, 6);
  function changed(e) {
    onInput(e.target.value);
    const before = e.target.value.slice(0, e.target.selectionStart);
    const found = /@([^\s@]*)$/.exec(before);
    setQuery(found ? found[1] : null);
    setActive(0);
  }
  function pick(user) {
    const el = ref.current;
    const before = value.slice(0, el.selectionStart).replace(/@([^\s@]*)$/, "@" + mentionText(user) + " ");
    const next = before + value.slice(el.selectionStart);
    // Caret first, in the same task: a rep who keeps typing right after picking must not
    // have the next characters land before the caret moves (Preact leaves an equal value alone).
    el.value = next;
    el.focus();
    el.selectionStart = el.selectionEnd = before.length;
    onInput(next);
    setQuery(null);
  }
  function keys(e) {
    if (!matches.length) return;
    if (e.key === "ArrowDown") { setActive((active + 1) % matches.length); e.preventDefault(); }
    else if (e.key === "ArrowUp") { setActive((active + matches.length - 1) % matches.length); e.preventDefault(); }
    else if (e.key === "Enter" || e.key === "Tab") { pick(matches[active]); e.preventDefault(); }
    else if (e.key === "Escape") setQuery(null);
  }
  return html`<div class="mention-box">
    <textarea ref=${ref} name=${name} rows=${rows} value=${value} placeholder=${placeholder} onInput=${changed} onKeyDown=${keys} />
    ${matches.length > 0 && html`<ul class="mentions" role="listbox">${matches.map((u, i) => html`
      <li role="option" aria-selected=${i === active} class=${i === active ? "active" : ""} onMouseDown=${(e) => { e.preventDefault(); pick(u); }}>
        <${Avatar} user=${u} /> <b>${u.name}</b> <span class="muted">@${u.login}</span></li>`)}</ul>`}
  </div>`;
}

function Composer({ onPosted }) {
  const [body, setBody] = useState("");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function submit(e) {
    e.preventDefault();
    if (!body.trim()) return;
    setBusy(true); setError(null);
    try { onPosted(await post("/api/v1/posts", { body })); setBody(""); }
    catch (err) { setError((err.fields && err.fields.body) || err.message); }
    finally { setBusy(false); }
  }
  return html`<form class="card composer" onSubmit=${submit}>
    <${MentionInput} name="body" value=${body} onInput=${setBody} placeholder=${t("postPlaceholder")} />
    ${error && html`<div class="field-error" data-field="body" role="alert">${error}</div>`}
    <div class="row end"><button class="primary" type="submit" disabled=${busy || !body.trim()}>${t("post")}</button></div>
  </form>`;
}

function Comments({ item, onCount }) {
  const state = useLoad(() => get(`/api/v1/posts/${item.id}/comments`, { limit: 200 }), [item.id]);
  const { name } = useColleagues();
  const [body, setBody] = useState("");
  useEvent("comment.new", (frame) => {
    if (frame.data.post_id === item.id) state.set((d) => d && { ...d, items: mergeById(d.items, frame.data, true) });
  }, [item.id]);
  async function submit(e) {
    e.preventDefault();
    if (!body.trim()) return;
    const comment = await post(`/api/v1/posts/${item.id}/comments`, { body });
    state.set((d) => d && { ...d, items: mergeById(d.items, comment, true) });
    setBody(""); onCount(1);
  }
  return html`<div class="comments"><${Loading} state=${state}>${(d) => html`<ul>${d.items.map((c) => html`
      <li class="comment" data-comment-id=${c.id}><b>${name(c.author_id)}</b> ${c.body} <span class="muted"><${Time} at=${c.created_at} /></span></li>`)}</ul>`}<//>
    <form class="row" onSubmit=${submit}>
      <${MentionInput} name="comment" rows=${1} value=${body} onInput=${setBody} placeholder=${t("comment")} />
      <button type="submit" disabled=${!body.trim()}>${t("send")}</button></form></div>`;
}

export function FeedItem({ item, onChange }) {
  const { byId, name } = useColleagues();
  const [open, setOpen] = useState(false);
  async function like() {
    const method = item.liked_by_me ? "DELETE" : "POST";
    await api(method, `/api/v1/posts/${item.id}/like`);
    onChange({ ...item, liked_by_me: !item.liked_by_me, like_count: item.like_count + (item.liked_by_me ? -1 : 1) });
  }
  const subject = item.subject && item.subject.type ? html`<${Link} to=${`/${item.subject.type}/${item.subject.id}`} class="chip">${t(item.subject.type)} #${item.subject.id}<//>` : null;
  return html`<article class="card feed-item" data-post-id=${item.id} data-kind=${item.kind}>
    <header class="row"><${Avatar} user=${byId[item.author_id]} name=${name(item.author_id)} />
      <div><b>${name(item.author_id)}</b><div class="muted small"><${Link} to=${`/post/${item.id}`}><${Time} at=${item.created_at} /><//> · ${t(item.visibility)}</div></div>
      ${item.kind !== "post" && html`<span class="chip kind">${t("kind_" + item.kind)}</span>`}</header>
    <p class="body">${item.body}</p>
    <${FileChips} files=${(item.attachments || []).filter((a) => a && a.type === "file")} />
    ${subject}
    <footer class="row actions">
      <button class=${"link" + (item.liked_by_me ? " liked" : "")} onClick=${like}>${t("like")} ${item.like_count || ""}</button>
      <button class="link" onClick=${() => setOpen(!open)}>${t("comment")} <span class="comment-count">${item.comment_count || ""}</span></button>
    </footer>
    ${open && html`<${Comments} item=${item} onCount=${(n) => onChange({ ...item, comment_count: item.comment_count + n })} />`}
  </article>`;
}

export function Feed({ user }) {
  const scopes = ["following", "public", "mine", ...(user.role === "rep" ? [] : ["team"])];
  const [scope, setScope] = useState(user.role === "rep" ? "public" : "following");
  const state = useLoad(() => get("/api/v1/feed", { scope, limit: 50 }), [scope]);
  const put = (item, atEnd) => state.set((d) => d && { ...d, items: mergeById(d.items, item, atEnd) });
  useEvent("feed.new", (frame) => put(frame.data), []);
  useEvent("comment.new", (frame) => state.set((d) => d && { ...d, items: d.items.map((i) =>
    i.id === frame.data.post_id && frame.data.author_id !== user.id ? { ...i, comment_count: i.comment_count + 1 } : i) }), []);
  useEvent("resync", () => state.reload(), []);
  return html`<section class="feed">
    <${Composer} onPosted=${(item) => put(item)} />
    <div class="tabs" role="tablist">${scopes.map((s) => html`<button role="tab" aria-selected=${s === scope} class=${s === scope ? "active" : ""} onClick=${() => setScope(s)}>${t(s === "team" ? "scopeTeam" : s)}</button>`)}</div>
    <${Loading} state=${state}>${(d) => d.items.length ? html`<div class="feed-list">${d.items.map((item) => html`<${FeedItem} key=${item.id} item=${item} onChange=${(i) => put(i)} />`)}</div>` : html`<${Empty} />`}<//>
  </section>`;
}

export function PostScreen({ id }) {
  const state = useLoad(() => get(`/api/v1/posts/${id}`), [id]);
  return html`<section><${Loading} state=${state}>${(item) => html`<${FeedItem} item=${item} onChange=${(i) => state.set(() => i)} />`}<//></section>`;
}
