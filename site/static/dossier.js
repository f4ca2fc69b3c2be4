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
 * - Wayfinding: the section being read is marked in "On this page" and the
 *   sidebar; the phone menu closes on Escape and when a link is followed.
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

  /* ---------- the index, loaded in parts on demand ----------
   * search-index.js holds what ranking needs of every page; the words
   * (search/w<k>.js) and the pages' titles, sections and snippets
   * (search/p<k>.js) come in parts, each a script calling dossierSearchPart. */
  var data = null;
  var waiting = [];
  var loading = false;
  var parts = Object.create(null);
  var partWaiters = Object.create(null);
  function addScript(src, onload, onerror) {
    var s = doc.createElement("script");
    s.src = src;
    s.onload = onload;
    s.onerror = onerror;
    doc.head.appendChild(s);
  }
  /* Numbers in the index's digits: 0-9a-f go on, g-v end a number. */
  function numbers(s) {
    var out = [], n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c <= 57) n = n * 16 + c - 48;
      else if (c <= 102) n = n * 16 + c - 87;
      else { out.push(n * 16 + c - 103); n = 0; }
    }
    return out;
  }
  function ascending(s) {
    var out = numbers(s);
    for (var i = 1; i < out.length; i++) out[i] += out[i - 1];
    return out;
  }
  function prepare(raw) {
    var sections = numbers(raw.sections), kinds = numbers(raw.kind), titleWords = numbers(raw.titleWords);
    var firstDoc = [], pageOfDoc = [], byUrl = Object.create(null);
    for (var p = 0; p < raw.urls.length; p++) {
      firstDoc.push(pageOfDoc.length);
      for (var k = 0; k < sections[p]; k++) pageOfDoc.push(p);
      // Keyed as links are read (internalPath), without the "./" that keeps
      // a file name with a colon from reading as a scheme.
      byUrl[raw.urls[p].replace(/^\.\//, "")] = p;
    }
    return {
      urls: raw.urls, kindNames: raw.kinds, kinds: kinds, titleWords: titleWords, firstDoc: firstDoc,
      pageOfDoc: pageOfDoc, byUrl: byUrl, perPart: raw.perPart, wordParts: raw.wordParts, words: Object.create(null)
    };
  }
  function withIndex(cb) {
    if (data) { cb(data); return; }
    if (window.DOSSIER_SEARCH) { data = prepare(window.DOSSIER_SEARCH); cb(data); return; }
    waiting.push(cb);
    if (loading) return;
    loading = true;
    addScript(root + "search-index.js", function () {
      data = prepare(window.DOSSIER_SEARCH);
      var w = waiting; waiting = [];
      w.forEach(function (f) { f(data); });
    }, function () { loading = false; waiting = []; setStatus("The search index could not be loaded."); });
  }
  window.dossierWithIndex = withIndex;
  window.dossierSearchPart = function (name, value) {
    parts[name] = value;
    var w = partWaiters[name] || [];
    delete partWaiters[name];
    w.forEach(function (f) { f(); });
  };
  /* Calls cb once every named part is loaded. */
  function withParts(names, cb) {
    var left = names.filter(function (n, i) { return !(n in parts) && names.indexOf(n) === i; });
    var count = left.length;
    if (!count) { cb(); return; }
    left.forEach(function (name) {
      var first = !partWaiters[name];
      if (first) partWaiters[name] = [];
      partWaiters[name].push(function () { if (--count === 0) cb(); });
      if (first) addScript(root + "search/" + name + ".js", null, function () {
        delete partWaiters[name];
        setStatus("Part of the search index could not be loaded.");
      });
    });
  }
  /* Page n's row: title, summary, other names, sections [id, heading, snippet]. */
  function pageRow(ix, n) {
    var row = parts["p" + Math.floor(n / ix.perPart)][n % ix.perPart];
    return {
      n: n, url: ix.urls[n], kind: ix.kindNames[ix.kinds[n]], title: row[0], summary: row[1], extra: row[2], sections: row[3]
    };
  }
  function withPages(ix, list, cb) {
    withParts(list.map(function (n) { return "p" + Math.floor(n / ix.perPart); }), function () {
      cb(list.map(function (n) { return pageRow(ix, n); }));
    });
  }
  /* The word parts holding words from lo up to lo + anything. */
  function partsFor(ix, lo) {
    var hi = lo + "\uffff", out = [];
    for (var i = 0; i < ix.wordParts.length; i++) {
      var next = ix.wordParts[i + 1];
      if (next !== undefined && next <= lo) continue;
      if (ix.wordParts[i] > hi) break;
      out.push("w" + i);
    }
    return out;
  }
  /* A word part as [word, entry] pairs, read once. */
  function wordsOf(ix, name) {
    if (!ix.words[name]) {
      ix.words[name] = parts[name] ? parts[name].split(" ").map(function (e) {
        var c = e.indexOf(":");
        return [e.slice(0, c), e.slice(c + 1)];
      }) : [];
    }
    return ix.words[name];
  }

  /* ---------- search ---------- */
  var STOP = " a an and are as at be by for from has have in is it its of on or s t that the this to was were which with ";
  var ROMAN = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];
  function roman(n) { return n >= 1 && n < 40 ? ["", "x", "xx", "xxx"][Math.floor(n / 10)] + ROMAN[n % 10] : ""; }
  /* A query word and its equals: a number and its Roman numeral ("article 5", "Article V"). */
  function spellings(w) {
    var out = [w];
    if (/^[0-9]+$/.test(w)) { if (roman(+w)) out.push(roman(+w)); }
    else if (/^[ivx]+$/.test(w)) {
      for (var n = 1; n < 40; n++) if (roman(n) === w) out.push(String(n));
    }
    return out;
  }
  function tokenize(q) {
    var all = q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
    var useful = all.filter(function (w) { return STOP.indexOf(" " + w + " ") < 0; });
    return useful.length ? useful : all.filter(function (w) { return w.length > 1; });
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
  /* How well an index word matches a query word: exact 6, prefix 4, one
   * typo 3, two typos 2, a typo in a prefix 1 less; 0 for no match. Only
   * the last query word (the one being typed) matches as a prefix. Typos
   * count from four letters, two from eight, and only after the first two
   * letters (which pick the word parts to load). */
  function quality(t, term, last) {
    if (term === t) return 6;
    if (t.length < 2) return 0;
    if (last && term.lastIndexOf(t, 0) === 0) return 4;
    var max = t.length >= 8 ? 2 : t.length >= 4 ? 1 : 0;
    if (!max || term.lastIndexOf(t.slice(0, 2), 0) !== 0) return 0;
    var d = distance(t, term, max);
    if (d <= max) return 4 - d;
    if (last && term.length > t.length) {
      d = Math.min(distance(t, term.slice(0, t.length), max), distance(t, term.slice(0, t.length + 1), max));
      if (d <= max) return 3 - d;
    }
    return 0;
  }
  /* Where the words of a spelling are: its first two letters for typos. */
  function rangeOf(w) { return w.length >= 4 ? w.slice(0, 2) : w; }
  var TITLE = 4, HEADING = 3, BODY = 1;
  /* Every query word's best score in each section that has it. */
  function scoreToken(ix, alts, names, last) {
    var best = Object.create(null), fromHead = Object.create(null), terms = [];
    names.forEach(function (name) {
      wordsOf(ix, name).forEach(function (pair) {
        var q = 0;
        alts.forEach(function (a) { q = Math.max(q, quality(a, pair[0], last)); });
        if (!q) return;
        if (q < 6) terms.push(pair[0]);
        var lists = pair[1].split("/");
        ascending(lists[0]).forEach(function (d) { if (!(best[d] >= q * BODY)) best[d] = q * BODY; });
        if (lists[1]) ascending(lists[1]).forEach(function (d) {
          var w = ix.firstDoc[ix.pageOfDoc[d]] === d ? TITLE : HEADING;
          if (best[d] <= q * w) { best[d] = q * w; fromHead[d] = true; }
        });
      });
    });
    return { best: best, fromHead: fromHead, terms: terms };
  }
  /* Ranks pages by their best section for query q; cb({results, terms, total}). */
  function search(ix, q, limit, cb) {
    var tokens = tokenize(q);
    if (!tokens.length) { cb({ results: [], terms: [], total: 0 }); return; }
    var alts = tokens.map(spellings);
    var names = alts.map(function (list) {
      var out = [];
      list.forEach(function (a) { out = out.concat(partsFor(ix, rangeOf(a))); });
      return out;
    });
    withParts([].concat.apply([], names), function () {
      var per = tokens.map(function (t, i) { return scoreToken(ix, alts[i], names[i], i === tokens.length - 1); });
      var docs = Object.create(null);
      per.forEach(function (pt) {
        for (var d in pt.best) {
          var r = docs[d] || (docs[d] = { doc: +d, score: 0, matched: 0, heads: 0 });
          r.score += pt.best[d];
          r.matched++;
          if (pt.fromHead[d]) r.heads++;
        }
      });
      var most = 0, d;
      for (d in docs) most = Math.max(most, docs[d].matched);
      // One result per page, its best section (the earliest of equals).
      var byPage = Object.create(null);
      for (d in docs) {
        var r = docs[d];
        if (r.matched < most) continue;
        var p = ix.pageOfDoc[r.doc];
        // A title that is the query itself.
        if (r.doc === ix.firstDoc[p] && r.heads === tokens.length && ix.titleWords[p] === tokens.length) r.score += 10;
        var old = byPage[p];
        if (!old || r.score > old.score || (r.score === old.score && r.doc < old.doc)) byPage[p] = r;
      }
      var ranked = [];
      for (var pg in byPage) ranked.push({ page: +pg, doc: byPage[pg].doc, score: byPage[pg].score });
      ranked.sort(function (a, b) {
        return b.score - a.score || ix.titleWords[a.page] - ix.titleWords[b.page] ||
          ix.kinds[a.page] - ix.kinds[b.page] || a.page - b.page;
      });
      var words = [];
      alts.forEach(function (list, i) { words = words.concat(list, per[i].terms.slice(0, 12)); });
      var shown = ranked.slice(0, limit);
      withPages(ix, shown.map(function (r) { return r.page; }), function (rows) {
        cb({
          results: shown.map(function (r, i) {
            var page = rows[i], s = page.sections[r.doc - ix.firstDoc[r.page]];
            return { page: page, section: { id: s[0], heading: s[1], text: s[2] }, score: r.score };
          }),
          terms: words, total: ranked.length
        });
      });
    });
  }
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  /* The terms as whole words. */
  function termsRe(terms) {
    var list = terms.filter(function (t, i) { return t && terms.indexOf(t) === i; })
      .sort(function (a, b) { return b.length - a.length; })
      .map(escapeRe);
    return new RegExp("(?<![\\p{L}\\p{N}])(?:" + (list.join("|") || "(?!)") + ")(?![\\p{L}\\p{N}])", "giu");
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
  /* The section's text around its first match (or its start, or the page's summary). */
  function snippet(r, terms) {
    var re = termsRe(terms);
    var text = r.section.text, at = -1;
    if (text) { re.lastIndex = 0; var m = re.exec(text); at = m ? m.index : 0; }
    if (!text || (at < 0 && r.page.summary)) { text = r.page.summary || r.page.extra; at = 0; }
    var start = Math.max(0, at - 60), end = Math.min(text.length, start + 180);
    if (start > 0) { var sp = text.indexOf(" ", start); if (sp >= 0 && sp < at) start = sp + 1; }
    if (end < text.length) { var sp2 = text.lastIndexOf(" ", end); if (sp2 > at) end = sp2; }
    var frag = doc.createDocumentFragment();
    if (start > 0) frag.appendChild(doc.createTextNode("… "));
    frag.appendChild(highlight(text.slice(start, end), re));
    if (end < text.length && !/…$/.test(text.slice(0, end))) frag.appendChild(doc.createTextNode(" …"));
    return frag;
  }
  /* The result's page and section, carrying the words to highlight there. */
  function hrefOf(r, terms) {
    var hl = terms.filter(function (t, i) { return terms.indexOf(t) === i; }).join(" ");
    return root + r.page.url + "?hl=" + encodeURIComponent(hl) + (r.section.id ? "#" + encodeURIComponent(r.section.id) : "");
  }
  function kindLabel(kind) { return kind.charAt(0).toUpperCase() + kind.slice(1); }
  function resultBody(el, r, terms) {
    var title = doc.createElement("span");
    title.className = "result-title";
    title.appendChild(highlight(r.page.title, termsRe(terms)));
    var kind = doc.createElement("span");
    kind.className = "kind-badge kind-" + r.page.kind;
    kind.textContent = kindLabel(r.page.kind);
    el.appendChild(title);
    el.appendChild(doc.createTextNode(" "));
    el.appendChild(kind);
    if (r.section.heading) {
      var sec = doc.createElement("span");
      sec.className = "result-section";
      sec.appendChild(doc.createTextNode("§ "));
      sec.appendChild(highlight(r.section.heading, termsRe(terms)));
      el.appendChild(sec);
    }
    var snip = doc.createElement("span");
    snip.className = "result-snippet";
    snip.appendChild(snippet(r, terms));
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
    withIndex(function (ix) { search(ix, q, 8, function (found) {
      if (input.value !== q) return;
      current = found.results;
      list.textContent = "";
      found.results.forEach(function (r, i) {
        var li = option("dossier-result-" + i, hrefOf(r, found.terms));
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
    }); });
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
      withIndex(function (ix) { search(ix, q, 50, function (found) {
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
          a.href = hrefOf(r, found.terms);
          resultBody(a, r, found.terms);
          li.appendChild(a);
          ol.appendChild(li);
        });
        pageResults.appendChild(ol);
        if (found.total > found.results.length) {
          var more = doc.createElement("p");
          more.textContent = "The first " + found.results.length + " are shown; add a word to narrow the search.";
          pageResults.appendChild(more);
        }
      }); });
    } else {
      var p = doc.createElement("p");
      p.textContent = "Type in the search box above and press Enter.";
      pageResults.appendChild(p);
    }
  }
  window.dossierSearch = function (q, limit, cb) { withIndex(function (ix) { search(ix, q, limit || 10, cb); }); };

  /* ---------- arriving from a search result ----------
   * The result's link carries the words (?hl=…): they are marked in the
   * page, and a bar says so and clears them. */
  function landingTerms() {
    var hl = "";
    try { hl = new URLSearchParams(location.search).get("hl") || ""; } catch (e) { return []; }
    return hl.split(/\s+/).filter(function (t) { return t; }).slice(0, 40);
  }
  function markTerms(main, re) {
    var walker = doc.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.parentNode.closest("script, style, svg, mark, .search-hit-bar") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [], n;
    while ((n = walker.nextNode())) { re.lastIndex = 0; if (re.test(n.data)) nodes.push(n); }
    nodes.forEach(function (node) {
      var frag = highlight(node.data, re);
      Array.prototype.forEach.call(frag.querySelectorAll("mark"), function (m) { m.className = "search-hit"; });
      node.parentNode.replaceChild(frag, node);
    });
    return nodes.length;
  }
  function clearHits(bar) {
    Array.prototype.forEach.call(doc.querySelectorAll("mark.search-hit"), function (m) {
      m.replaceWith(doc.createTextNode(m.textContent));
    });
    var main = doc.getElementById("main");
    if (main) main.normalize();
    bar.remove();
    try { history.replaceState(history.state, "", location.href.replace(/[?&]hl=[^#&]*/, "").replace(/\?(?=#|$)/, "")); } catch (e) { /* the marks are gone either way */ }
  }
  /* Shows mark `i` of `marks` (centred, unless it is in view already). */
  function showHit(marks, i, always) {
    Array.prototype.forEach.call(marks, function (m, k) { m.classList.toggle("current", k === i); });
    var r = marks[i].getBoundingClientRect();
    if (always || r.top < 0 || r.bottom > innerHeight) marks[i].scrollIntoView({ block: "center" });
  }
  function hitBar(marks, start) {
    var bar = doc.createElement("div");
    bar.className = "search-hit-bar";
    bar.setAttribute("role", "region");
    bar.setAttribute("aria-label", "Search highlights");
    var what = doc.createElement("span");
    var words = [];
    Array.prototype.forEach.call(marks, function (m) {
      var w = m.textContent.toLowerCase();
      if (words.indexOf(w) < 0) words.push(w);
    });
    what.textContent = "Highlighted: " + words.slice(0, 3).join(", ") + (words.length > 3 ? " …" : "");
    var at = start;
    var next = doc.createElement("button");
    next.type = "button";
    next.textContent = "Next (" + marks.length + ")";
    next.addEventListener("click", function () { at = (at + 1) % marks.length; showHit(marks, at, true); });
    var clear = doc.createElement("button");
    clear.type = "button";
    clear.textContent = "Clear highlights";
    clear.addEventListener("click", function () { clearHits(bar); });
    bar.appendChild(what);
    if (marks.length > 1) bar.appendChild(next);
    bar.appendChild(clear);
    doc.body.appendChild(bar);
    doc.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && bar.isConnected && !owner && (!list || list.hidden)) clearHits(bar);
    });
  }
  var landed = landingTerms();
  var landMain = doc.getElementById("main");
  if (landed.length && landMain && !pageResults && markTerms(landMain, termsRe(landed))) {
    var marks = doc.querySelectorAll("mark.search-hit");
    // The first mark in the section the result named (its heading, or the
    // page's top): a long section's words may be screens below it.
    var target = null;
    try { target = location.hash && doc.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (e) { target = null; }
    var first = 0;
    if (target) {
      for (var k = 0; k < marks.length; k++) {
        if (target === marks[k] || target.contains(marks[k]) || (target.compareDocumentPosition(marks[k]) & Node.DOCUMENT_POSITION_FOLLOWING)) { first = k; break; }
      }
    }
    hitBar(marks, first);
    var reveal = function () { showHit(marks, first, false); };
    if (doc.readyState === "complete") reveal(); else window.addEventListener("load", reveal);
  }

  /* ---------- maps ---------- */
  /* Pointing at a box of a map, or focusing it, marks the lines that touch
     it and the boxes at their other ends (the stylesheet fades the rest).
     The drawing names each box's page (data-node) and each line's two ends
     (data-ends), so this needs no other data. */
  function enhanceMap(svg) {
    var lines = svg.querySelectorAll(".edges path");
    var nodes = svg.querySelectorAll(".node");
    var lit = null;
    function clear() {
      lit = null;
      svg.classList.remove("lighting");
      for (var i = 0; i < lines.length; i++) lines[i].classList.remove("lit");
      for (var j = 0; j < nodes.length; j++) nodes[j].classList.remove("lit", "lit-self");
    }
    function light(node) {
      if (node === lit) return;
      clear();
      lit = node;
      var id = node.getAttribute("data-node"), near = {};
      for (var i = 0; i < lines.length; i++) {
        var ends = (lines[i].getAttribute("data-ends") || "").split(" ");
        if (ends[0] !== id && ends[1] !== id) continue;
        near[ends[0] === id ? ends[1] : ends[0]] = true;
        lines[i].classList.add("lit");
        // Last drawn is on top: a marked line is never hidden by others.
        lines[i].parentNode.appendChild(lines[i]);
      }
      for (var j = 0; j < nodes.length; j++) {
        if (near[nodes[j].getAttribute("data-node")]) nodes[j].classList.add("lit");
      }
      node.classList.add("lit-self");
      svg.classList.add("lighting");
    }
    function nodeOf(e) { return e.target.closest ? e.target.closest(".node") : null; }
    // Listened for on the parent: Chromium makes an SVG element with focus
    // listeners a tab stop of its own.
    var host = svg.parentNode;
    host.addEventListener("mouseover", function (e) {
      var n = nodeOf(e);
      if (n) light(n); else if (lit && !svg.contains(doc.activeElement)) clear();
    });
    host.addEventListener("mouseleave", function () {
      var f = doc.activeElement;
      if (f && svg.contains(f) && f.closest(".node")) light(f.closest(".node")); else clear();
    });
    host.addEventListener("focusin", function (e) { var n = nodeOf(e); if (n) light(n); });
    host.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !svg.contains(e.relatedTarget)) clear();
    });
  }
  var maps = doc.querySelectorAll("svg.graph");
  for (var m = 0; m < maps.length; m++) enhanceMap(maps[m]);

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
          var n = path ? ix.byUrl[path] : undefined;
          if (n === undefined) return;
          withPages(ix, [n], function (rows) {
          var pg = rows[0];
          if (owner === t && pg.summary) {
            var s = doc.createElement("p");
            s.textContent = pg.summary;
            tip.appendChild(s);
            place(t);
          }
          });
        });
      }
      return;
    }
    var path2 = internalPath(t);
    withIndex(function (ix) {
      var n = ix.byUrl[path2];
      if (n === undefined) return done(false);
      withPages(ix, [n], function (rows) {
      var pg = rows[0];
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
  /* ---------- wayfinding ---------- */
  /* The section being read, marked in "On this page" and the sidebar: the
     last heading above a line near the top of the window. An observer says
     when a heading crosses that line, so nothing runs while reading. */
  var spyLinks = doc.querySelectorAll('.toc li > a[href^="#"], .nav-sections a[href^="#"], .nav-toc a[href^="#"]');
  var spyHeads = [];
  var seen = Object.create(null);
  Array.prototype.forEach.call(spyLinks, function (a) {
    var id = decodeURIComponent(a.getAttribute("href").slice(1));
    if (seen[id]) return;
    var h = doc.getElementById(id);
    if (h) { seen[id] = true; spyHeads.push(h); }
  });
  var marked = null;
  function markSection() {
    var line = innerHeight * 0.25, current = null;
    for (var i = 0; i < spyHeads.length; i++) {
      if (spyHeads[i].getBoundingClientRect().top <= line) current = spyHeads[i]; else break;
    }
    var id = current ? current.id : null;
    if (id === marked) return;
    marked = id;
    Array.prototype.forEach.call(spyLinks, function (a) {
      if (id && decodeURIComponent(a.getAttribute("href").slice(1)) === id) {
        a.setAttribute("aria-current", "location");
        var box = a.closest(".toc");
        // Keep the mark in view inside a panel taller than the window, by
        // scrolling the panel only (scrollIntoView would move the page too).
        if (box && box.scrollHeight > box.clientHeight) {
          var top = a.offsetTop - box.offsetTop;
          if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - a.offsetHeight) {
            box.scrollTop = top - box.clientHeight / 3;
          }
        }
      } else if (a.hasAttribute("aria-current")) {
        a.removeAttribute("aria-current");
      }
    });
  }
  if (spyHeads.length && window.IntersectionObserver) {
    spyHeads.sort(function (a, b) { return a.compareDocumentPosition(b) & 4 ? -1 : 1; });
    var spy = new IntersectionObserver(markSection, { rootMargin: "0px 0px -75% 0px" });
    spyHeads.forEach(function (h) { spy.observe(h); });
    markSection();
  }

  /* The menu closes when one of its links is followed within the page, and
     on Escape, giving focus back to its button. */
  var menu = doc.querySelector("details.menu");
  if (menu) {
    menu.addEventListener("click", function (e) {
      if (e.target.closest && e.target.closest(".menu-panel a")) menu.open = false;
    });
    menu.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }
  /* Below the width of the sidebar, the header slides away while the reader
     scrolls down the text and comes back as soon as they scroll up; never
     while the reader is using it (menu open, focus in it). */
  var header = doc.querySelector(".site-header");
  var narrow = window.matchMedia ? matchMedia("(max-width: 68.74rem)") : null;
  if (header && narrow) {
    var lastY = scrollY, ticking = false;
    var placeHeader = function () {
      ticking = false;
      var y = scrollY;
      var busy = (menu && menu.open) || header.contains(doc.activeElement);
      var away = narrow.matches && !busy && y > lastY && y > header.offsetHeight;
      if (away !== header.classList.contains("header-away")) header.classList.toggle("header-away", away);
      if (Math.abs(y - lastY) > 2 || y <= 0) lastY = y;
    };
    addEventListener("scroll", function () {
      if (!ticking) { ticking = true; requestAnimationFrame(placeHeader); }
    }, { passive: true });
    header.addEventListener("focusin", function () { header.classList.remove("header-away"); });
  }
})();
