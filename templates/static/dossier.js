/* dossier: comfort on top of a site that reads and navigates without it.
 *
 * - Search: the index is search-index.js (a <script> assigning
 *   window.DOSSIER_SEARCH), injected on first use, because fetch() of JSON is
 *   blocked under file://. Prefix and typo tolerant; `/` focuses the box,
 *   arrows and Enter choose, Escape closes.
 * - Previews: footnote references show their note, acronyms their expansion,
 *   internal links the target's title and summary; on hover, focus and tap;
 *   Escape closes.
 * - Theme: follow the system, light or dark, chosen with a button and
 *   remembered in localStorage.
 * Plain script (no modules, no workers): it must run from file://.
 */
(function () {
  "use strict";
  var doc = document;
  var html = doc.documentElement;
  var root = html.getAttribute("data-root") || "";
  // Against the document's base: the not-found page, served at any depth,
  // may set one to the site root.
  var rootURL = new URL(root || "./", doc.baseURI).href;

  /* ---------- theme ----------
   * Three choices: follow the system (nothing stored), light or dark
   * (stored; the inline script in <head> applies it before the first paint).
   * The button shows the current choice and is named by what a press does:
   * from the system's theme to the other one, then to the system's own, then
   * back to following the system, so each press changes what is seen or
   * hands control back to the system. */
  var darkQuery = window.matchMedia ? matchMedia("(prefers-color-scheme: dark)") : null;
  function systemTheme() { return darkQuery && darkQuery.matches ? "dark" : "light"; }
  function choice() {
    var t = html.getAttribute("data-theme");
    return t === "dark" || t === "light" ? t : "system";
  }
  function nextChoice(c) {
    var sys = systemTheme();
    var other = sys === "dark" ? "light" : "dark";
    if (c === "system") return other;
    if (c === other) return sys;
    return "system";
  }
  var NAMES = { system: "following the system", light: "light", dark: "dark" };
  function actionOf(c) {
    return c === "system" ? "Follow the system theme" : "Switch to " + c + " theme";
  }
  var toggle = doc.querySelector(".theme-toggle");
  function syncToggle() {
    if (!toggle) return;
    var c = choice();
    var label = actionOf(nextChoice(c)) + " (now " + NAMES[c] + (c === "system" ? ", " + systemTheme() : "") + ")";
    toggle.setAttribute("data-choice", c);
    toggle.setAttribute("title", label);
    var text = toggle.querySelector(".sr-only");
    if (text) text.textContent = label; else toggle.setAttribute("aria-label", label);
  }
  if (toggle) {
    toggle.hidden = false;
    syncToggle();
    toggle.addEventListener("click", function () {
      var next = nextChoice(choice());
      if (next === "system") html.removeAttribute("data-theme");
      else html.setAttribute("data-theme", next);
      try {
        if (next === "system") localStorage.removeItem("dossier-theme");
        else localStorage.setItem("dossier-theme", next);
      } catch (e) { /* storage off: this page only */ }
      syncToggle();
    });
    if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", syncToggle);
  }

  /* The print page's button (hidden without JavaScript, which it needs). */
  var printButton = doc.querySelector(".print-button");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  /* ---------- the index, loaded on demand ---------- */
  var data = null;
  var waiting = [];
  var loading = false;
  function prepare(raw) {
    var terms = [], posts = [];
    var entries = raw.words ? raw.words.split(" ") : [];
    for (var i = 0; i < entries.length; i++) {
      var c = entries[i].lastIndexOf(":");
      terms.push(entries[i].slice(0, c));
      posts.push(entries[i].slice(c + 1));
    }
    var byUrl = Object.create(null);
    var pages = raw.pages.map(function (p, n) {
      var page = {
        n: n, url: p[0], title: p[1], kind: raw.kinds[p[2]], kindRank: p[2], summary: p[3],
        headings: p[4], extra: p[5], text: p[6],
        lTitle: p[1].toLowerCase(), lHeadings: p[4].toLowerCase(), lExtra: p[5].toLowerCase(),
        lSummary: p[3].toLowerCase()
      };
      // Keyed as links are read (internalPath), without the "./" that keeps
      // a file name with a colon from reading as a scheme.
      byUrl[p[0].replace(/^\.\//, "")] = page;
      return page;
    });
    return { terms: terms, posts: posts, width: raw.w, pages: pages, byUrl: byUrl };
  }
  function withIndex(cb) {
    if (data) { cb(data); return; }
    if (window.DOSSIER_SEARCH) { data = prepare(window.DOSSIER_SEARCH); cb(data); return; }
    waiting.push(cb);
    if (loading) return;
    loading = true;
    var s = doc.createElement("script");
    s.src = root + "search-index.js";
    s.onload = function () {
      data = prepare(window.DOSSIER_SEARCH);
      var w = waiting; waiting = [];
      w.forEach(function (f) { f(data); });
    };
    s.onerror = function () { loading = false; waiting = []; setStatus("The search index could not be loaded."); };
    doc.head.appendChild(s);
  }
  window.dossierWithIndex = withIndex;

  /* ---------- search ---------- */
  var STOP = " a an and are as at be by for from has have in is it its of on or that the this to was were which with ";
  function tokenize(q) {
    var all = q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return Array.from(w).length >= 2; });
    var useful = all.filter(function (w) { return STOP.indexOf(" " + w + " ") < 0; });
    return useful.length ? useful : all;
  }
  /* Levenshtein distance, giving up (returns max + 1) once it exceeds max. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev = [], cur = [], i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        cur[j] = v;
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev = cur;
    }
    return prev[b.length];
  }
  /* Index words matching token t: exact 3, prefix 2, near (typo) 1. */
  function matchTerms(ix, t) {
    var out = [];
    var max = t.length >= 8 ? 2 : t.length >= 4 ? 1 : 0;
    for (var i = 0; i < ix.terms.length; i++) {
      var term = ix.terms[i];
      var score = 0;
      if (term === t) score = 3;
      else if (term.lastIndexOf(t, 0) === 0) score = 2;
      else if (max && term.charCodeAt(0) === t.charCodeAt(0) || max > 1) {
        if (max && (distance(t, term, max) <= max ||
            (term.length > t.length && (distance(t, term.slice(0, t.length), max) <= max ||
              distance(t, term.slice(0, t.length + 1), max) <= max)))) score = 1;
      }
      if (score) out.push({ i: i, term: term, score: score });
    }
    return out;
  }
  function postingsOf(ix, i) {
    var s = ix.posts[i], w = ix.width, out = [];
    for (var k = 0; k < s.length; k += w) out.push(parseInt(s.substr(k, w), 36));
    return out;
  }
  function search(ix, q, limit) {
    var tokens = tokenize(q);
    if (!tokens.length) return { results: [], terms: [] };
    var perToken = tokens.map(function (t) {
      var hits = Object.create(null);
      var terms = matchTerms(ix, t);
      terms.forEach(function (m) {
        postingsOf(ix, m.i).forEach(function (n) {
          if (!hits[n] || hits[n] < m.score) hits[n] = m.score;
        });
      });
      return { t: t, hits: hits, terms: terms };
    });
    var scored = [];
    ix.pages.forEach(function (p) {
      var total = 0, matched = 0;
      perToken.forEach(function (pt) {
        var s = pt.hits[p.n];
        if (!s) return;
        matched++;
        var t = pt.t;
        total += s * 2;
        if (p.lTitle.indexOf(t) >= 0) total += 10;
        if (p.lExtra.indexOf(t) >= 0) total += 8;
        if (p.lHeadings.indexOf(t) >= 0) total += 4;
        if (p.lSummary.indexOf(t) >= 0) total += 2;
      });
      if (!matched) return;
      if (p.lTitle === q.trim().toLowerCase()) total += 20;
      scored.push({ page: p, score: total, matched: matched });
    });
    // Every word must match when some page has them all; otherwise the best partial matches.
    var most = scored.reduce(function (m, r) { return Math.max(m, r.matched); }, 0);
    scored = scored.filter(function (r) { return r.matched === most; });
    scored.sort(function (a, b) {
      return b.score - a.score || a.page.kindRank - b.page.kindRank || (a.page.title < b.page.title ? -1 : a.page.title > b.page.title ? 1 : 0);
    });
    var words = [];
    perToken.forEach(function (pt) {
      words.push(pt.t);
      pt.terms.forEach(function (m) { if (m.score === 1) words.push(m.term); });
    });
    return { results: scored.slice(0, limit), terms: words, total: scored.length };
  }
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  /* A window of text around the first match, as DOM nodes with <mark>s. */
  function termsRe(terms) {
    return new RegExp("(" + terms.slice().sort(function (a, b) { return b.length - a.length; }).map(escapeRe).join("|") + ")", "giu");
  }
  /* `part` as text nodes, with every match of `re` in a <mark>. */
  function highlight(part, re) {
    var frag = doc.createDocumentFragment();
    var last = 0;
    re.lastIndex = 0;
    var mm;
    while ((mm = re.exec(part))) {
      if (!mm[0]) { re.lastIndex++; continue; }
      frag.appendChild(doc.createTextNode(part.slice(last, mm.index)));
      var mark = doc.createElement("mark");
      mark.textContent = mm[0];
      frag.appendChild(mark);
      last = mm.index + mm[0].length;
    }
    frag.appendChild(doc.createTextNode(part.slice(last)));
    return frag;
  }
  /* A window of text around the first match, as DOM nodes with <mark>s. */
  function snippet(page, terms) {
    var re = termsRe(terms);
    var sources = [page.text, page.summary, page.headings.replace(/\n/g, " · "), page.extra];
    var text = null, at = -1;
    for (var k = 0; k < sources.length && at < 0; k++) {
      re.lastIndex = 0;
      var m = re.exec(sources[k]);
      if (m) { text = sources[k]; at = m.index; }
    }
    if (text === null) { text = page.summary || page.text; at = 0; }
    var start = Math.max(0, at - 60), end = Math.min(text.length, at + 120);
    if (start > 0) { var sp = text.indexOf(" ", start); if (sp >= 0 && sp < at) start = sp + 1; }
    if (end < text.length) { var sp2 = text.lastIndexOf(" ", end); if (sp2 > at) end = sp2; }
    var frag = doc.createDocumentFragment();
    if (start > 0) frag.appendChild(doc.createTextNode("… "));
    frag.appendChild(highlight(text.slice(start, end), re));
    if (end < text.length) frag.appendChild(doc.createTextNode(" …"));
    return frag;
  }
  function hrefOf(page) { return root + page.url; }
  function kindLabel(kind) { return kind.charAt(0).toUpperCase() + kind.slice(1); }
  function resultBody(el, r, terms) {
    var title = doc.createElement("span");
    title.className = "result-title";
    title.appendChild(highlight(r.page.title, termsRe(terms)));
    var kind = doc.createElement("span");
    kind.className = "kind-badge kind-" + r.page.kind;
    kind.textContent = kindLabel(r.page.kind);
    var snip = doc.createElement("span");
    snip.className = "result-snippet";
    snip.appendChild(snippet(r.page, terms));
    el.appendChild(title);
    el.appendChild(doc.createTextNode(" "));
    el.appendChild(kind);
    el.appendChild(snip);
  }

  var input = doc.getElementById("dossier-search");
  var list = doc.getElementById("dossier-search-results");
  var status = doc.getElementById("dossier-search-status");
  var active = -1;
  var current = [];
  function setStatus(msg) { if (status) status.textContent = msg; }
  function go(url) { location.href = new URL(url, doc.baseURI).href; }
  function close() {
    if (!list) return;
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function setActive(n) {
    var opts = list.querySelectorAll("[role=option]");
    if (!opts.length) return;
    active = (n + opts.length) % opts.length;
    for (var i = 0; i < opts.length; i++) opts[i].setAttribute("aria-selected", i === active ? "true" : "false");
    input.setAttribute("aria-activedescendant", opts[active].id);
    opts[active].scrollIntoView({ block: "nearest" });
  }
  function option(id, href) {
    var li = doc.createElement("li");
    li.id = id;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.setAttribute("data-href", href);
    return li;
  }
  function update() {
    var q = input.value;
    if (!q.trim()) { close(); list.textContent = ""; setStatus(""); return; }
    withIndex(function (ix) {
      if (input.value !== q) return;
      var found = search(ix, q, 8);
      current = found.results;
      list.textContent = "";
      found.results.forEach(function (r, i) {
        var li = option("dossier-result-" + i, hrefOf(r.page));
        li.className = "kind-" + r.page.kind;
        resultBody(li, r, found.terms);
        list.appendChild(li);
      });
      var more = option("dossier-result-all", root + "search.html?q=" + encodeURIComponent(q));
      more.className = "all-results";
      more.textContent = found.total ? "All " + found.total + " results for “" + q + "”" : "No results for “" + q + "”";
      list.appendChild(more);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      input.removeAttribute("aria-activedescendant");
      setStatus(found.total ? found.total + (found.total === 1 ? " result" : " results") + ". Use the arrow keys to choose." : "No results.");
    });
  }
  if (input && list) {
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.addEventListener("focus", function () { withIndex(function () {}); });
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden) update(); else setActive(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); if (!list.hidden) setActive(active - 1); }
      else if (e.key === "Enter" && active >= 0 && !list.hidden) {
        e.preventDefault();
        go(list.querySelectorAll("[role=option]")[active].getAttribute("data-href"));
      } else if (e.key === "Escape") {
        if (!list.hidden) { e.preventDefault(); close(); } else if (input.value) { e.preventDefault(); input.value = ""; }
      }
    });
    // Keep focus in the box while clicking a result.
    list.addEventListener("mousedown", function (e) { e.preventDefault(); });
    list.addEventListener("click", function (e) {
      var li = e.target.closest("[role=option]");
      if (li) go(li.getAttribute("data-href"));
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    doc.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  /* The full results page. */
  var pageResults = doc.getElementById("dossier-search-page");
  if (pageResults) {
    var nojs = doc.querySelector(".search-nojs");
    if (nojs) nojs.hidden = true;
    var q = new URLSearchParams(location.search).get("q") || "";
    if (input) input.value = q;
    if (q.trim()) {
      withIndex(function (ix) {
        var found = search(ix, q, 100);
        var h = doc.createElement("p");
        h.setAttribute("role", "status");
        h.textContent = found.total ? found.total + (found.total === 1 ? " result" : " results") + " for “" + q + "”" : "No results for “" + q + "”. Try fewer or shorter words.";
        pageResults.appendChild(h);
        var ol = doc.createElement("ol");
        ol.className = "search-list";
        found.results.forEach(function (r) {
          var li = doc.createElement("li");
          li.className = "kind-" + r.page.kind;
          var a = doc.createElement("a");
          a.href = hrefOf(r.page);
          resultBody(a, r, found.terms);
          li.appendChild(a);
          ol.appendChild(li);
        });
        pageResults.appendChild(ol);
      });
    } else {
      var p = doc.createElement("p");
      p.textContent = "Type in the search box above and press Enter.";
      pageResults.appendChild(p);
    }
  }
  window.dossierSearch = function (q, limit, cb) { withIndex(function (ix) { cb(search(ix, q, limit || 10)); }); };

  /* ---------- previews ---------- */
  var tip = doc.createElement("div");
  tip.id = "dossier-preview";
  tip.className = "preview";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  doc.body.appendChild(tip);
  var owner = null;
  var hideTimer = 0;
  var lastPointer = "mouse";

  function internalPath(a) {
    var href = a.getAttribute("href");
    if (!href || href.charAt(0) === "#") return null;
    var u;
    try { u = new URL(a.href); } catch (e) { return null; }
    if (u.href.indexOf(rootURL) !== 0) return null;
    var rel = decodeURI(u.href.slice(rootURL.length).split("#")[0].split("?")[0]);
    return /\.html$/.test(rel) ? rel : null;
  }
  function triggerOf(el) {
    if (!el || !el.closest) return null;
    // The acronym's link, not its <abbr>, so the preview can add the glossary summary.
    var t = el.closest("a.acronym") || el.closest(".footnote-ref a, abbr[title], abbr[data-title]");
    if (t) return t;
    var a = el.closest("main a[href]");
    if (!a || a.closest(".toc, .breadcrumbs, .prev-next, svg, .search-list, .print-toc") || a.classList.contains("footnote-backref")) return null;
    return internalPath(a) ? a : null;
  }
  function place(t) {
    tip.style.left = "0px";
    tip.style.top = "0px";
    var r = t.getBoundingClientRect();
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var vw = doc.documentElement.clientWidth;
    var left = Math.max(8, Math.min(r.left, vw - w - 8));
    var top = r.bottom + 6;
    if (top + h > innerHeight && r.top - h - 6 > 0) top = r.top - h - 6;
    tip.style.left = (left + scrollX) + "px";
    tip.style.top = (top + scrollY) + "px";
  }
  function fill(t, done) {
    tip.textContent = "";
    tip.className = "preview";
    if (t.closest(".footnote-ref")) {
      var id = decodeURIComponent((t.getAttribute("href") || "").slice(1));
      var note = id && doc.getElementById(id);
      if (!note) return done(false);
      var head = doc.createElement("p");
      head.className = "preview-head";
      head.textContent = "Note " + t.textContent;
      tip.appendChild(head);
      var body = note.cloneNode(true);
      body.removeAttribute("id");
      body.removeAttribute("value");
      Array.prototype.forEach.call(body.querySelectorAll(".footnote-backref"), function (b) { b.remove(); });
      Array.prototype.forEach.call(body.querySelectorAll("[id]"), function (b) { b.removeAttribute("id"); });
      var div = doc.createElement("div");
      div.className = "preview-note";
      while (body.firstChild) div.appendChild(body.firstChild);
      tip.appendChild(div);
      tip.classList.add("preview-footnote");
      return done(true);
    }
    var abbr = t.tagName === "ABBR" ? t : t.querySelector("abbr");
    if (abbr) {
      var term = doc.createElement("strong");
      term.textContent = abbr.textContent;
      var exp = doc.createElement("span");
      exp.textContent = " " + (abbr.getAttribute("title") || abbr.getAttribute("data-title") || "");
      var p = doc.createElement("p");
      p.className = "preview-head";
      p.appendChild(term);
      p.appendChild(exp);
      tip.appendChild(p);
      tip.classList.add("preview-acronym");
      done(true);
      if (t.tagName === "A") {
        var path = internalPath(t);
        withIndex(function (ix) {
          var pg = path && ix.byUrl[path];
          if (owner === t && pg && pg.summary) {
            var s = doc.createElement("p");
            s.textContent = pg.summary;
            tip.appendChild(s);
            place(t);
          }
        });
      }
      return;
    }
    var path2 = internalPath(t);
    withIndex(function (ix) {
      var pg = ix.byUrl[path2];
      if (!pg) return done(false);
      var k = doc.createElement("p");
      k.className = "kind-badge kind-" + pg.kind;
      k.textContent = kindLabel(pg.kind);
      var title = doc.createElement("p");
      title.className = "preview-title";
      title.textContent = pg.title;
      tip.appendChild(k);
      tip.appendChild(title);
      if (pg.summary) {
        var s = doc.createElement("p");
        s.textContent = pg.summary;
        tip.appendChild(s);
      }
      tip.classList.add("preview-link", "kind-" + pg.kind);
      done(true);
    });
  }
  function show(t) {
    clearTimeout(hideTimer);
    if (owner === t && !tip.hidden) return;
    hide();
    owner = t;
    // The native title tooltip would cover ours; keep it aside while shown.
    var abbr = t.tagName === "ABBR" ? t : t.querySelector && t.querySelector("abbr[title]");
    if (abbr && abbr.hasAttribute("title")) {
      abbr.setAttribute("data-title", abbr.getAttribute("title"));
      abbr.removeAttribute("title");
    }
    fill(t, function (ok) {
      if (owner !== t || !ok) return;
      tip.hidden = false;
      t.setAttribute("data-describedby", t.getAttribute("aria-describedby") || "");
      t.setAttribute("aria-describedby", "dossier-preview");
      place(t);
    });
  }
  function hide() {
    clearTimeout(hideTimer);
    if (!owner) return;
    var t = owner;
    owner = null;
    tip.hidden = true;
    if (t.hasAttribute("data-describedby")) {
      var old = t.getAttribute("data-describedby");
      if (old) t.setAttribute("aria-describedby", old); else t.removeAttribute("aria-describedby");
      t.removeAttribute("data-describedby");
    }
    var abbr = t.tagName === "ABBR" ? t : t.querySelector && t.querySelector("abbr[data-title]");
    if (abbr && abbr.hasAttribute("data-title")) {
      abbr.setAttribute("title", abbr.getAttribute("data-title"));
      abbr.removeAttribute("data-title");
    }
  }
  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }
  // Whether the preview of the element under a touch was already open when
  // the touch began (focus, which comes before the click, opens it too).
  var openAtDown = false;
  doc.addEventListener("pointerdown", function (e) {
    lastPointer = e.pointerType || "mouse";
    var t = triggerOf(e.target);
    openAtDown = !!t && owner === t && !tip.hidden;
  }, true);
  doc.addEventListener("mouseover", function (e) {
    if (lastPointer === "touch") return;
    if (tip.contains(e.target)) { clearTimeout(hideTimer); return; }
    var t = triggerOf(e.target);
    if (t) show(t); else if (owner) hideSoon();
  });
  doc.addEventListener("focusin", function (e) {
    var t = triggerOf(e.target);
    if (t) show(t); else if (owner && !tip.contains(e.target)) hide();
  });
  doc.addEventListener("focusout", function (e) {
    if (owner && e.target === owner && !tip.contains(e.relatedTarget)) hideSoon();
  });
  doc.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && owner) { hide(); }
  });
  // Touch: the first tap on a note reference or an acronym shows the preview
  // (which links onwards), a second tap follows the link.
  doc.addEventListener("click", function (e) {
    if (lastPointer !== "touch") return;
    var t = triggerOf(e.target);
    if (!t) { if (owner && !tip.contains(e.target)) hide(); return; }
    var isNote = !!t.closest(".footnote-ref"), isAbbr = t.tagName === "ABBR" || t.classList.contains("acronym");
    if (!isNote && !isAbbr) return;
    if (openAtDown) return;
    e.preventDefault();
    show(t);
  });
  window.addEventListener("resize", function () { if (owner) place(owner); });
})();
