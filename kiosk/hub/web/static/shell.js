// Kömək hub shell: the language switch, login, logout, the error banner, the
// "session ended" notice and the API helper every hub page uses (see the module
// docstring of kiosk/hub/web/shell.py for how a page plugs in). Plain JavaScript,
// no build step. Data goes into the page with textContent or a property, never
// innerHTML.
//
//   Shell.addTexts({ az: {...}, ru: {...}, en: {...} });
//   Shell.onLanguage(() => render());       // runs now and after every switch
//   const doc = await Shell.api("GET", "/api/v1/...");
"use strict";

const Shell = (() => {
  const LANGS = ["az", "ru", "en"];
  const TEXT = {
    az: {
      title_hub: "Kömək", title_login: "Kömək — giriş", title_queue: "Kömək — könüllülər",
      title_voice: "Kömək — səs studiyası", title_content: "Kömək — məzmun studiyası",
      title_terminals: "Kömək — terminallar",
      login_title: "Daxil olun", name: "Ad", password: "Parol",
      login: "Daxil ol", logout: "Çıxış", wrong: "Ad və ya parol səhvdir.",
      locked: "Çox səhv cəhd. Bir az gözləyin və yenidən cəhd edin.",
      busy: "Eyni anda çox giriş var. Bir neçə saniyədən sonra yenidən cəhd edin.",
      failed: "Alınmadı, yenidən cəhd edin.", offline: "Hub ilə əlaqə yoxdur.",
      ended_title: "Sessiya bitdi",
      ended_text: "Təhlükəsizlik üçün sessiyanız bitdi və məlumatlar gizlədildi. Davam etmək üçün yenidən daxil olun.",
      login_again: "Yenidən daxil ol", close: "Bağla",
      admins_only_title: "Yalnız administratorlar",
      admins_only_text: "Bu səhifəni yalnız administrator aça bilər.",
      nav_voice: "Səs", nav_content: "Məzmun", nav_queue: "Növbə", nav_terminals: "Terminallar", nav_report: "Hesabat",
      nav_volunteers: "Könüllülər", nav_activity: "Fəaliyyət",
      title_volunteers: "Kömək — könüllülər", title_activity: "Kömək — fəaliyyət", title_report: "Kömək — hesabat",
    },
    ru: {
      title_hub: "Kömək", title_login: "Kömək — вход", title_queue: "Kömək — волонтёры",
      title_voice: "Kömək — студия голоса", title_content: "Kömək — студия контента",
      title_terminals: "Kömək — терминалы",
      login_title: "Вход", name: "Имя", password: "Пароль",
      login: "Войти", logout: "Выйти", wrong: "Неверное имя или пароль.",
      locked: "Слишком много неверных попыток. Подождите и попробуйте снова.",
      busy: "Сейчас много входов одновременно. Попробуйте снова через несколько секунд.",
      failed: "Не получилось, попробуйте ещё раз.", offline: "Нет связи с хабом.",
      ended_title: "Сессия закончилась",
      ended_text: "Ради безопасности ваша сессия закончилась, данные скрыты. Чтобы продолжить, войдите снова.",
      login_again: "Войти снова", close: "Закрыть",
      admins_only_title: "Только для администраторов",
      admins_only_text: "Эту страницу может открыть только администратор.",
      nav_voice: "Голос", nav_content: "Контент", nav_queue: "Очередь", nav_terminals: "Терминалы", nav_report: "Отчёт",
      nav_volunteers: "Волонтёры", nav_activity: "Действия",
      title_volunteers: "Kömək — волонтёры", title_activity: "Kömək — действия", title_report: "Kömək — отчёт",
    },
    en: {
      title_hub: "Kömək", title_login: "Kömək — log in", title_queue: "Kömək — volunteers",
      title_voice: "Kömək — voice studio", title_content: "Kömək — content studio",
      title_terminals: "Kömək — terminals",
      login_title: "Log in", name: "Name", password: "Password",
      login: "Log in", logout: "Log out", wrong: "Wrong name or password.",
      locked: "Too many wrong passwords. Wait a little and try again.",
      busy: "Many logins at once. Try again in a few seconds.",
      failed: "That did not work; try again.", offline: "No connection to the hub.",
      ended_title: "Session ended",
      ended_text: "For safety your session ended and the data is hidden. Log in again to go on.",
      login_again: "Log in again", close: "Close",
      admins_only_title: "Admins only",
      admins_only_text: "Only an admin may open this page.",
      nav_voice: "Voice", nav_content: "Content", nav_queue: "Queue", nav_terminals: "Terminals", nav_report: "Report",
      nav_volunteers: "Volunteers", nav_activity: "Activity",
      title_volunteers: "Kömək — volunteers", title_activity: "Kömək — activity", title_report: "Kömək — report",
    },
  };
  const listeners = [];
  let lang = pickLanguage();
  let ended = false;

  function pickLanguage() {
    let saved = null;
    try { saved = localStorage.getItem("komek.lang"); } catch (_) { saved = null; }
    if (saved && TEXT[saved]) return saved;
    const nav = (navigator.language || "az").slice(0, 2);
    return TEXT[nav] ? nav : "az";
  }

  function remember() {
    try { localStorage.setItem("komek.lang", lang); } catch (_) { /* private mode */ }
    // The hub reads it for pages it renders and for its error messages.
    document.cookie = `komek_lang=${lang}; path=/; max-age=31536000; samesite=strict`;
  }

  function addTexts(more) {
    for (const code of LANGS) Object.assign(TEXT[code], more[code] || {});
  }

  // vars.n === 1 picks `key_one` where a language has it ("1 problem", "2 problems").
  function t(key, vars) {
    if (vars && vars.n === 1 && `${key}_one` in TEXT[lang]) key = `${key}_one`;
    let s = TEXT[lang][key] ?? TEXT.en[key] ?? key;
    for (const [k, v] of Object.entries(vars || {})) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  }

  function has(key) {
    return key in TEXT[lang] || key in TEXT.en;
  }

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.title = t(document.body.dataset.title || "title_hub");
    for (const el of document.querySelectorAll("[data-t]")) {
      if (el.dataset.t) el.textContent = t(el.dataset.t, el.dataset.tVars ? JSON.parse(el.dataset.tVars) : undefined);
    }
    // A refusal the hub gave in every language (Shell.say): in the one chosen now.
    for (const el of document.querySelectorAll("[data-t-msgs]")) {
      const msgs = JSON.parse(el.dataset.tMsgs);
      el.textContent = msgs[lang] || msgs.en || el.textContent;
    }
    for (const el of document.querySelectorAll("[data-t-placeholder]")) el.placeholder = t(el.dataset.tPlaceholder);
    for (const el of document.querySelectorAll("[data-t-label]")) el.setAttribute("aria-label", t(el.dataset.tLabel));
    for (const b of document.querySelectorAll("[data-lang]")) {
      b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
    }
    for (const fn of listeners) fn(lang);
  }

  // Text that follows the language switch: el shows t(key, vars) now and after every switch.
  function setText(el, key, vars) {
    el.dataset.t = key;
    if (vars) el.dataset.tVars = JSON.stringify(vars);
    else delete el.dataset.tVars;
    el.textContent = key ? t(key, vars) : "";
  }

  // A message that follows the language switch, whatever it is: a text key (with
  // vars), an ApiError (the hub's words in az, ru and en; "offline" by its key),
  // another Error (its words as they are), or "" (nothing).
  function say(el, what, vars) {
    delete el.dataset.tMsgs;
    if (what instanceof ApiError && what.key) return setText(el, what.key, vars);
    if (what instanceof ApiError && what.messages) {
      setText(el, "");
      el.dataset.tMsgs = JSON.stringify(what.messages);
      el.textContent = what.messages[lang] || what.message;
      return;
    }
    if (what instanceof Error) {
      setText(el, "");
      el.textContent = what.message;
      return;
    }
    if (what && has(what)) return setText(el, what, vars);
    setText(el, "");
    el.textContent = what ? String(what) : "";
  }

  function onLanguage(fn) {
    listeners.push(fn);
    fn(lang);
  }

  class ApiError extends Error {
    // messages: the hub's words in every language; key: a text of the page's own
    // (an error the browser found, like "offline").
    constructor(status, message, code, detail, messages, key) {
      super(message);
      this.status = status;
      this.code = code || "";
      this.detail = detail;
      this.messages = messages || null;
      this.key = key || "";
    }
  }

  function csrf() {
    const meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }

  function setCsrf(token) {
    const meta = document.querySelector("meta[name=csrf-token]");
    if (meta) meta.content = token;
  }

  // body: a plain object (sent as JSON) or FormData (sent as multipart).
  // Refusals throw ApiError whose message is the hub's text in the page's language.
  async function api(method, path, body, token) {
    const opts = { method, headers: { Accept: "application/json", "Accept-Language": lang }, credentials: "same-origin" };
    if (method !== "GET") opts.headers["X-CSRF-Token"] = token || csrf();
    if (body instanceof FormData) opts.body = body;
    else if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    let resp;
    try {
      resp = await fetch(path, opts);
    } catch (_) {
      throw new ApiError(0, t("offline"), "offline", undefined, null, "offline");
    }
    if (resp.status === 204) return null;
    let doc = null;
    try {
      doc = await resp.json();
    } catch (_) {
      doc = null;
    }
    if (!resp.ok) {
      const code = (doc && doc.code) || "";
      const message = (doc && doc.message) || t("failed");
      const messages = doc && doc.messages && typeof doc.messages === "object" ? doc.messages : null;
      const err = new ApiError(resp.status, message, code, doc && doc.detail, messages, doc ? "" : "failed");
      if (resp.status === 401 && !path.endsWith("/login")) sessionEnded();
      throw err;
    }
    return doc;
  }

  // One touch, one action (as on the kiosk and in the console): an action that
  // changes something (disable, publish, roll back, save) runs once however many
  // taps reach it. While it runs (with any question it asks first) it is not
  // started again, and for GUARD_MS after it the page's buttons take no tap: what
  // is under the thumb may be new ("Disable" became "Enable", a row went), so a
  // double tap's second tap would press it. Shown with aria-busy on <main>.
  const GUARD_MS = 700;
  const guard = { busy: 0, until: 0, timer: 0 };

  function guarded() {
    return guard.busy > 0 || performance.now() < guard.until;
  }

  function showGuard() {
    const main = document.querySelector("main");
    clearTimeout(guard.timer);
    if (guarded()) {
      if (main) main.setAttribute("aria-busy", "true");
      if (!guard.busy) guard.timer = setTimeout(showGuard, Math.max(20, guard.until - performance.now() + 5));
    } else if (main) {
      main.removeAttribute("aria-busy");
    }
  }

  // Runs fn (an async action) under the guard; a call while another runs or
  // within GUARD_MS of it does nothing (and gives undefined). fn gives false when
  // the person said no to its question: nothing changed, the next tap is free.
  async function act(fn) {
    if (guarded()) return undefined;
    guard.busy += 1;
    showGuard();
    let hold = true;
    try {
      const result = await fn();
      hold = result !== false;
      return result;
    } finally {
      guard.busy -= 1;
      if (hold) guard.until = performance.now() + GUARD_MS;
      showGuard();
    }
  }

  // The second tap of a double tap, or one on a button that just moved: ignored.
  // (A question's own buttons, in a <dialog>, answer while the action waits.)
  // The console has its own guard for its queue (console.js).
  document.addEventListener("click", (ev) => {
    if (!guarded() || !(ev.target instanceof Element)) return;
    // (The language switch and log-out change nothing a tap could regret.)
    const b = ev.target.closest("main :is(button, a, summary, input[type=submit]), .bar .tools button.publish");
    if (!b || b.closest("dialog")) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
  }, true);

  // The error banner under the header: an ApiError, an Error, or a text key.
  function showError(what) {
    const box = document.getElementById("shell-error");
    if (!box) return;
    const text = box.querySelector(".text");
    say(text, what);
    box.hidden = !text.textContent;
  }

  function clearError() {
    const box = document.getElementById("shell-error");
    if (box) box.hidden = true;
  }

  // The session is over (expired, logged out elsewhere, volunteer removed): hide
  // whatever the page showed and say so, with one way on.
  function sessionEnded() {
    if (ended) return;
    ended = true;
    const main = document.querySelector("main");
    if (main) {
      main.replaceChildren();
      main.hidden = true;
    }
    for (const id of ["logout"]) {
      const el = document.getElementById(id);
      if (el) el.hidden = true;
    }
    const nav = document.querySelector(".shell-nav");
    if (nav) nav.replaceChildren();
    const who = document.getElementById("shell-who");
    if (who) who.textContent = "";
    clearError();
    const template = document.getElementById("shell-ended");
    if (template) {
      const box = template.content.firstElementChild.cloneNode(true);
      box.id = "shell-ended-notice";
      box.querySelector("#shell-login-again").href = "/login?next=" + encodeURIComponent(location.pathname);
      template.after(box);
      applyLanguage();
    }
    document.dispatchEvent(new CustomEvent("shell:ended"));
  }

  function safeNext(next) {
    return /^\/(?![/\\])/.test(next || "") ? next : "/console/";
  }

  async function logIn(form) {
    const error = document.getElementById("login-error");
    say(error, "");
    try {
      const me = await api("GET", "/api/v1/console/me");
      await api(
        "POST",
        "/api/v1/console/login",
        {
          name: form.querySelector("#login-name").value,
          password: form.querySelector("#login-password").value,
        },
        me.csrf_token,
      );
      form.querySelector("#login-password").value = "";
      location.href = safeNext(form.dataset.next);
    } catch (e) {
      say(error, e.status === 429 || e.status === 423 ? "locked"
        : e.status === 401 ? "wrong" : e.status === 503 ? "busy" : e);
    }
  }

  async function logOut() {
    // Notes typed and not saved (console.js keeps them for a reload): not for the next person.
    try {
      for (const key of Object.keys(sessionStorage)) if (key.startsWith("komek.note.")) sessionStorage.removeItem(key);
    } catch (_) { /* private mode */ }
    try {
      await api("POST", "/api/v1/console/logout");
    } catch (_) {
      /* gone already */
    }
    location.href = "/login";
  }

  document.addEventListener("DOMContentLoaded", () => {
    remember();
    for (const b of document.querySelectorAll("[data-lang]")) {
      b.addEventListener("click", () => {
        lang = b.dataset.lang;
        remember();
        // A page the hub rendered in one language is fetched again in the new one.
        if (document.body.dataset.reloadOnLanguage) location.reload();
        else applyLanguage();
      });
    }
    const form = document.getElementById("login-form");
    if (form) {
      form.addEventListener("submit", (ev) => {
        ev.preventDefault();
        logIn(form);
      });
    }
    const out = document.getElementById("logout");
    if (out) out.addEventListener("click", logOut);
    const close = document.querySelector("#shell-error .close");
    if (close) close.addEventListener("click", clearError);
    // A page the hub rendered in another language than the one chosen here (the
    // first visit, before the cookie): fetch it again in this one.
    if (document.body.dataset.reloadOnLanguage && document.documentElement.lang !== lang) {
      location.reload();
      return;
    }
    applyLanguage();
  });

  return {
    addTexts,
    api,
    ApiError,
    t,
    has,
    setText,
    say,
    act,
    onLanguage,
    showError,
    clearError,
    sessionEnded,
    setCsrf,
    csrf,
    get lang() {
      return lang;
    },
    get admin() {
      return document.body.dataset.admin === "1";
    },
    get ended() {
      return ended;
    },
  };
})();
// The name the first studio pages were written with. Both on window too, for
// scripts that look for the shell there (a top-level const is not on window).
const Studio = Shell;
window.Shell = Shell;
window.Studio = Shell;
