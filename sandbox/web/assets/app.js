// The sandbox page: it shows what /state renders for the chosen person and
// posts what they do to /api. All HTML comes from the server, already
// escaped; this file only moves it into place and wires the buttons.
"use strict";

const st = { as: "", view: "C0APPROVALS", thread: "" };
const last = {};
let pending = null; // the click being timed: {t0, ids}
window.sandboxLatencies = [];

function readHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  st.as = h.get("as") || document.body.dataset.start;
  st.view = h.get("view") || "C0APPROVALS";
  st.thread = h.get("thread") || "";
}

function writeHash() {
  const h = new URLSearchParams({ as: st.as, view: st.view });
  if (st.thread) h.set("thread", st.thread);
  history.replaceState(null, "", "#" + h.toString());
}

const $ = (id) => document.getElementById(id);

// patch brings el's children up to html, changing in place only what
// differs, so the node under the mouse, the focus and the scroll survive an
// update (a button replaced between mousedown and mouseup loses the click).
// It returns the ids of the children that changed.
function patch(el, html) {
  if (last[el.id] === html) return [];
  last[el.id] = html;
  const focused = focusKey();
  const t = document.createElement("template");
  t.innerHTML = html;
  const old = new Map();
  for (const c of el.children) if (c.id) old.set(c.id, c);
  const next = [];
  const changed = [];
  for (const n of Array.from(t.content.children)) {
    const o = n.id && old.get(n.id);
    if (o) {
      if (morph(o, n)) changed.push(n.id);
      next.push(o);
    } else {
      next.push(n);
      changed.push(n.id);
    }
  }
  const same = next.length === el.children.length && next.every((n, i) => n === el.children[i]);
  if (!same) el.replaceChildren(...next);
  restoreFocus(focused);
  return changed;
}

// morph makes a look like b, keeping a's nodes where the tags agree. It
// says whether anything changed.
function morph(a, b) {
  if (a.isEqualNode(b)) return false;
  for (const at of Array.from(a.attributes)) if (!b.hasAttribute(at.name)) a.removeAttribute(at.name);
  for (const at of Array.from(b.attributes)) if (a.getAttribute(at.name) !== at.value) a.setAttribute(at.name, at.value);
  const ac = Array.from(a.childNodes), bc = Array.from(b.childNodes);
  for (let i = 0; i < bc.length; i++) {
    const x = ac[i], y = bc[i];
    if (!x) a.appendChild(y);
    // A node never turns into another block's or button's node: a button
    // pressed as one row's Approve must not be released as another's.
    else if (x.nodeType !== y.nodeType || x.nodeName !== y.nodeName || (x.nodeType === Node.ELEMENT_NODE &&
      (x.dataset.block !== y.dataset.block || x.dataset.action !== y.dataset.action || x.dataset.ts !== y.dataset.ts))) x.replaceWith(y);
    else if (x.nodeType === Node.ELEMENT_NODE) morph(x, y);
    else if (x.nodeValue !== y.nodeValue) x.nodeValue = y.nodeValue;
  }
  for (let i = bc.length; i < ac.length; i++) ac[i].remove();
  return true;
}

function focusKey() {
  const a = document.activeElement;
  if (!a || a === document.body || !a.dataset) return null;
  const art = a.closest("[id]");
  return { art: art && art.id, block: a.dataset.block, action: a.dataset.action, id: a.id };
}

function restoreFocus(k) {
  if (!k || document.activeElement !== document.body) return;
  let el = k.id ? $(k.id) : null;
  if (!el && k.art && $(k.art)) {
    el = $(k.art).querySelector(`[data-block="${CSS.escape(k.block || "")}"][data-action="${CSS.escape(k.action || "")}"]`);
  }
  if (el) el.focus();
}

// refresh fetches the page's state. Changes come in bursts (a click
// updates a row, then posts a reply, then the audit log grows); one fetch
// at a time, and one more after it if anything changed meanwhile, shows
// the first change at once and the rest right after. (Aborting the fetch
// under way for each new change would starve the page for the whole burst.)
let inflight = false, dirty = false;
async function refresh() {
  if (inflight) { dirty = true; return; }
  inflight = true;
  try {
    do {
      dirty = false;
      const shown = { as: st.as, view: st.view, thread: st.thread };
      const r = await fetch("/state?" + new URLSearchParams(shown).toString(), { cache: "no-store" });
      if (!r.ok) throw new Error("state: " + r.status);
      const s = await r.json();
      if (shown.as !== st.as || shown.view !== st.view || shown.thread !== st.thread) { dirty = true; continue; }
      apply(s);
      // Says whose view is on screen, for anyone (or any test) waiting for it.
      document.body.dataset.shown = shown.as + " " + shown.view + " " + shown.thread;
    } while (dirty);
  } catch (e) {
    $("status").textContent = "The sandbox is not answering (" + e.message + ").";
  } finally {
    inflight = false;
  }
}

function apply(s) {
  $("title").textContent = s.title;
  $("clock").textContent = s.clock;
  $("next").textContent = s.next;
  $("status").textContent = s.status;
  $("composer").hidden = st.view === "home";
  patch($("nav"), s.nav);
  // Like Slack, a pane read to its end follows new messages.
  const follow = ["messages", "thread"].filter((id) => { const e = $(id); return e.scrollHeight - e.scrollTop - e.clientHeight < 40; });
  const changed = patch($("messages"), s.main).concat(patch($("thread"), s.thread));
  for (const id of follow) $(id).scrollTop = $(id).scrollHeight;
  $("thread").hidden = s.thread === "";
  for (const tab of ["github", "aws", "slack"]) patch($("pane-" + tab), s.panel[tab]);
  patch($("pane-audit"), s.audit);
  const modalChanged = applyModal(s.modal);
  if (pending && (modalChanged || changed.some((id) => pending.ids.includes(id)))) {
    const t0 = pending.t0;
    pending = null;
    requestAnimationFrame(() => {
      const ms = Math.round(performance.now() - t0);
      window.sandboxLatencies.push(ms);
      $("latency").textContent = "last click to updated screen: " + ms + " ms";
    });
  }
}

// applyModal shows the person's open modal, keeping what they typed when
// only its errors changed.
function applyModal(html) {
  const box = $("modal");
  if (last.modal === html) return false;
  const before = box.querySelector("form");
  const typed = before ? collect(before) : {};
  const sameView = before && html.includes(`data-view="${before.dataset.view}"`);
  last.modal = html;
  box.innerHTML = html;
  const form = box.querySelector("form");
  if (!form) return true;
  if (sameView) {
    for (const [name, f] of Object.entries(typed)) {
      const el = form.elements.namedItem(name);
      if (el && f.value !== undefined) el.value = f.value;
    }
  }
  const first = form.querySelector("input, textarea, select, button");
  if (first && !sameView) first.focus();
  return true;
}

function collect(form) {
  const values = {};
  for (const el of form.querySelectorAll("[data-kind]")) {
    const f = { kind: el.dataset.kind };
    if (el.multiple) f.values = Array.from(el.selectedOptions).map((o) => o.value).filter(Boolean);
    else f.value = el.value;
    values[el.name] = f;
  }
  return values;
}

async function post(path, body) {
  const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!r.ok) {
    let msg = "failed (" + r.status + ")";
    try { msg = (await r.json()).error || msg; } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
}

function askConfirm(c) {
  return new Promise((resolve) => {
    const box = $("confirm");
    $("confirm-title").textContent = c.title || "Are you sure?";
    $("confirm-text").textContent = c.text || "";
    $("confirm-ok").textContent = c.confirm || "Confirm";
    $("confirm-deny").textContent = c.deny || "Cancel";
    const opener = document.activeElement;
    box.hidden = false;
    $("confirm-deny").focus();
    const done = (ok) => {
      box.hidden = true;
      $("confirm-ok").onclick = $("confirm-deny").onclick = null;
      if (opener) opener.focus();
      resolve(ok);
    };
    $("confirm-ok").onclick = () => done(true);
    $("confirm-deny").onclick = () => done(false);
  });
}

function say(msg) { $("status").textContent = msg; }

window.sandboxClicks = 0;
async function clickButton(b) {
  window.sandboxClicks++;
  if (b.dataset.confirm) {
    if (!(await askConfirm(JSON.parse(b.dataset.confirm)))) return;
  }
  const art = b.closest("article, section.home");
  pending = { t0: performance.now(), ids: art ? [art.id, art.id.replace(/^m-/, "t-"), art.id.replace(/^t-/, "m-")] : [] };
  b.disabled = true;
  try {
    await post("/api/click", { as: st.as, where: b.dataset.where, channel: b.dataset.channel, ts: b.dataset.ts,
      block: b.dataset.block, action: b.dataset.action });
  } catch (e) {
    pending = null;
    b.disabled = false;
    say("The click did not go through: " + e.message);
  }
}

document.addEventListener("click", async (ev) => {
  const b = ev.target.closest("button");
  if (!b) return;
  if (b.dataset.action !== undefined && b.dataset.where) return clickButton(b);
  if (b.dataset.thread !== undefined) { st.thread = b.dataset.thread; writeHash(); return refresh(); }
  if (b.dataset.closeThread !== undefined) { st.thread = ""; writeHash(); return refresh(); }
  if (b.dataset.view !== undefined) {
    st.view = b.dataset.view; st.thread = ""; writeHash();
    if (st.view === "home") post("/api/home", { as: st.as }).catch((e) => say(e.message));
    return refresh();
  }
  if (b.dataset.closeModal !== undefined) return post("/api/close", { as: st.as }).catch((e) => say(e.message));
  if (b.dataset.clock) return post("/api/clock", { step: b.dataset.clock }).then(() => say("The clock moved.")).catch((e) => say(e.message));
  if (b.dataset.fault) return post("/api/fault", { fault: b.dataset.fault }).then(() => say("Fault injected: " + b.textContent)).catch((e) => say(e.message));
  if (b.getAttribute("role") === "tab") return selectTab(b);
});

function selectTab(tab) {
  for (const t of document.querySelectorAll('[role="tab"]')) {
    const on = t === tab;
    t.setAttribute("aria-selected", on ? "true" : "false");
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
}

document.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = ev.target;
  if (form.id === "composer") {
    const text = $("compose").value.trim();
    if (!text) return;
    $("compose-error").textContent = "";
    try {
      await post("/api/slash", { as: st.as, channel: st.view, text });
      $("compose").value = "";
    } catch (e) {
      $("compose-error").textContent = e.message;
    }
    return;
  }
  if (form.classList.contains("modal")) {
    const err = form.querySelector(".form-error");
    for (const el of form.querySelectorAll("[required]")) {
      if (!el.value) { err.textContent = "Please fill in “" + (el.labels[0] ? el.labels[0].textContent : el.name) + "”."; el.focus(); return; }
    }
    pending = { t0: performance.now(), ids: [] };
    try {
      await post("/api/submit", { as: st.as, values: collect(form) });
    } catch (e) {
      pending = null;
      err.textContent = e.message;
    }
  }
});

document.addEventListener("keydown", (ev) => {
  if (ev.key === "Escape" && !$("confirm").hidden) $("confirm-deny").click();
  else if (ev.key === "Escape" && $("modal").querySelector("form")) post("/api/close", { as: st.as }).catch(() => {});
});

$("as").addEventListener("change", () => {
  st.as = $("as").value; writeHash();
  for (const k of Object.keys(last)) delete last[k];
  if (st.view === "home") post("/api/home", { as: st.as }).catch(() => {});
  refresh();
});

readHash();
$("as").value = st.as;
writeHash();
new EventSource("/events").addEventListener("change", refresh);
refresh();
