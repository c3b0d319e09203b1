// Kömək studio shell: language switch, login, logout, and the API helper every
// studio page uses. Plain JavaScript, no build step. Data goes into the page with
// textContent or a property, never innerHTML.
//
// A page script adds its own texts and waits for the shell:
//   Studio.addTexts({ az: {...}, ru: {...}, en: {...} });
//   Studio.onLanguage(() => render());       // runs now and after every switch
//   const doc = await Studio.api("GET", "/api/v1/...");
"use strict";

const Studio = (() => {
  const TEXT = {
    az: {
      studio_title: "Kömək — studiya", login_title: "Daxil olun", name: "Ad", password: "Parol",
      login: "Daxil ol", logout: "Çıxış", wrong: "Ad və ya parol səhvdir.",
      locked: "Çox səhv cəhd. Hesab müvəqqəti bağlanıb; bir az sonra yenidən cəhd edin.",
      failed: "Alınmadı, yenidən cəhd edin.", logged_out: "Sessiya bitib; yenidən daxil olun.",
      nav_voice: "Səs", nav_content: "Məzmun", nav_queue: "Növbə", nav_terminals: "Terminallar", nav_report: "Hesabat",
      nav_volunteers: "Könüllülər", nav_activity: "Fəaliyyət",
    },
    ru: {
      studio_title: "Kömək — студия", login_title: "Вход", name: "Имя", password: "Пароль",
      login: "Войти", logout: "Выйти", wrong: "Неверное имя или пароль.",
      locked: "Слишком много неверных попыток. Учётная запись временно заблокирована; попробуйте позже.",
      failed: "Не получилось, попробуйте ещё раз.", logged_out: "Сессия закончилась; войдите снова.",
      nav_voice: "Голос", nav_content: "Контент", nav_queue: "Очередь", nav_terminals: "Терминалы", nav_report: "Отчёт",
      nav_volunteers: "Волонтёры", nav_activity: "Действия",
    },
    en: {
      studio_title: "Kömək — studio", login_title: "Log in", name: "Name", password: "Password",
      login: "Log in", logout: "Log out", wrong: "Wrong name or password.",
      locked: "Too many wrong passwords. The account is locked for a while; try again later.",
      failed: "That did not work; try again.", logged_out: "Your session ended; log in again.",
      nav_voice: "Voice", nav_content: "Content", nav_queue: "Queue", nav_terminals: "Terminals", nav_report: "Report",
      nav_volunteers: "Volunteers", nav_activity: "Activity",
    },
  };
  const listeners = [];
  let lang = pickLanguage();

  function pickLanguage() {
    const saved = localStorage.getItem("komek.lang");
    if (saved && TEXT[saved]) return saved;
    const nav = (navigator.language || "az").slice(0, 2);
    return TEXT[nav] ? nav : "az";
  }

  function addTexts(more) {
    for (const code of Object.keys(TEXT)) Object.assign(TEXT[code], more[code] || {});
  }

  function t(key, vars) {
    let s = TEXT[lang][key] ?? TEXT.en[key] ?? key;
    for (const [k, v] of Object.entries(vars || {})) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  }

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.title = t("studio_title");
    for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
    for (const b of document.querySelectorAll("[data-lang]")) {
      b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
    }
    for (const fn of listeners) fn(lang);
  }

  function onLanguage(fn) {
    listeners.push(fn);
    fn(lang);
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function csrf() {
    const meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }

  // body: a plain object (sent as JSON) or FormData (sent as multipart).
  async function api(method, path, body, token) {
    const opts = { method, headers: {}, credentials: "same-origin" };
    if (method !== "GET") opts.headers["X-CSRF-Token"] = token || csrf();
    if (body instanceof FormData) opts.body = body;
    else if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const resp = await fetch(path, opts);
    let doc = null;
    try {
      doc = await resp.json();
    } catch (_) {
      doc = null;
    }
    if (resp.status === 401 && !path.endsWith("/login")) {
      location.href = "/studio/login?next=" + encodeURIComponent(location.pathname);
    }
    if (!resp.ok) {
      const detail = doc && doc.detail;
      const message = typeof detail === "string" ? detail : t("failed");
      throw new ApiError(resp.status, message);
    }
    return doc;
  }

  async function logIn(form) {
    const error = document.getElementById("login-error");
    error.textContent = "";
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
      location.href = form.dataset.next || "/studio/";
    } catch (e) {
      error.textContent = e.status === 423 ? t("locked") : e.status === 401 ? t("wrong") : t("failed");
    }
  }

  async function logOut() {
    try {
      await api("POST", "/api/v1/console/logout");
    } finally {
      location.href = "/studio/login";
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const b of document.querySelectorAll("[data-lang]")) {
      b.addEventListener("click", () => {
        lang = b.dataset.lang;
        localStorage.setItem("komek.lang", lang);
        applyLanguage();
      });
    }
    const form = document.getElementById("studio-login");
    if (form) {
      form.addEventListener("submit", (ev) => {
        ev.preventDefault();
        logIn(form);
      });
    }
    const out = document.getElementById("studio-logout");
    if (out) out.addEventListener("click", logOut);
    applyLanguage();
  });

  return {
    addTexts,
    api,
    ApiError,
    t,
    onLanguage,
    get lang() {
      return lang;
    },
    get admin() {
      return document.body.dataset.admin === "1";
    },
  };
})();
