/* The analyst's session: the token typed at /signin, kept in sessionStorage
   (gone when the tab closes) and sent as a Bearer header by truce.api(). */
(function () {
  "use strict";
  var KEY = "truce.session";
  function read() { try { return JSON.parse(sessionStorage.getItem(KEY)) || null; } catch (e) { return null; } }
  var truce = window.truce = {
    session: read,
    signIn: function (token) {
      return fetch("/api/users/me", { headers: { Authorization: "Bearer " + token } }).then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) throw new Error(body.detail || r.statusText);
          sessionStorage.setItem(KEY, JSON.stringify({ token: token, name: body.name, role: body.role }));
          return body;
        });
      });
    },
    signOut: function () { sessionStorage.removeItem(KEY); },
    /* Where to go after signing in: a path on this site only. Anything else
       (javascript:, data:, another host, "//host", "/\\host") gives ``fallback``. */
    sameOriginPath: function (value, fallback) {
      if (typeof value !== "string" || value.charAt(0) !== "/" || /^\/[\/\\]/.test(value) ||
          /[\u0000-\u001f\\]/.test(value)) return fallback;
      var url;
      try { url = new URL(value, location.origin); } catch (e) { return fallback; }
      if (url.origin !== location.origin) return fallback;
      var path = url.pathname + url.search + url.hash;
      // "/..//host" normalises to "//host", which location.href reads as another host
      return /^\/[\/\\]/.test(path) ? fallback : path;
    },
    api: function (path, options) {
      var s = read(), o = options || {}, headers = Object.assign({ Accept: "application/json" }, o.headers || {});
      if (s) headers.Authorization = "Bearer " + s.token;
      if (o.json !== undefined) { headers["Content-Type"] = "application/json"; o.body = JSON.stringify(o.json); }
      return fetch(path, { method: o.method || "GET", headers: headers, body: o.body }).then(function (r) {
        var ct = r.headers.get("content-type") || "";
        var parse = ct.indexOf("json") >= 0 ? r.json() : r.text();
        return parse.then(function (body) {
          if (!r.ok) { var e = new Error((body && body.detail) || r.statusText); e.status = r.status; throw e; }
          return body;
        });
      });
    },
    esc: function (s) {
      return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
        return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
      });
    }
  };
  var s = read(), link = document.getElementById("signin-link");
  if (s && link) {
    document.querySelectorAll("li.staff").forEach(function (li) { li.hidden = false; });
    link.textContent = "Sign out (" + s.name + ")";
    link.href = "/";
    link.addEventListener("click", function () { truce.signOut(); });
  }
})();
