// lendguide search client. No dependencies, no requests outside the site.
//
// Mirrors src/index/tokens.rs, fold.rs and query.rs step for step; the
// shared vectors in tests/search_vectors.json hold both to one rule, and
// window.lendguideSearch exposes the pure parts so the browser test can
// check them. All text is put in the page with textContent, never as HTML.
(function () {
  "use strict";

  // ---- folding and tokenising (same rule as the Rust index) ----

  function isHan(cp) {
    return (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3134f);
  }
  function isWord(c) {
    return (c >= "a" && c <= "z") || (c >= "0" && c <= "9");
  }
  function isDigit(c) {
    return c >= "0" && c <= "9";
  }

  // pairs: the manifest's fold table, `from` `to` characters run together.
  function makeFold(pairs) {
    var map = new Map();
    var cs = Array.from(pairs || "");
    for (var i = 0; i + 1 < cs.length; i += 2) map.set(cs[i], cs[i + 1]);
    return function (text) {
      var out = "";
      for (var ch of text) {
        var cp = ch.codePointAt(0);
        if (cp >= 0xff01 && cp <= 0xff5e) ch = String.fromCodePoint(cp - 0xfee0);
        else if (cp === 0x3000) ch = " ";
        if (ch >= "A" && ch <= "Z") ch = ch.toLowerCase();
        var m = map.get(ch);
        out += m === undefined ? ch : m;
      }
      return out;
    };
  }

  // Units of folded text: Han characters and [a-z0-9]+ words (with a `%`
  // after a number). start/len count code points.
  function units(folded) {
    var cs = Array.from(folded);
    var out = [];
    var i = 0;
    while (i < cs.length) {
      var c = cs[i];
      if (isHan(c.codePointAt(0))) {
        out.push({ han: true, start: i, len: 1, text: c });
        i += 1;
      } else if (isWord(c)) {
        var start = i;
        while (i < cs.length && isWord(cs[i])) i += 1;
        var text = cs.slice(start, i).join("");
        // Thousands separators (tokens.rs `thousands_groups`): 10,000 is 10000.
        if (/^[0-9]{1,3}$/.test(text)) {
          while (cs[i] === "," && i + 3 < cs.length && isDigit(cs[i + 1]) && isDigit(cs[i + 2]) &&
              isDigit(cs[i + 3]) && !(i + 4 < cs.length && isWord(cs[i + 4]))) {
            text += cs[i + 1] + cs[i + 2] + cs[i + 3];
            i += 4;
          }
        }
        if (cs[i] === "%" && isDigit(text[text.length - 1])) {
          text += "%";
          i += 1;
        }
        out.push({ han: false, start: start, len: i - start, text: text });
      } else {
        i += 1;
      }
    }
    return out;
  }

  function sameRun(a, b) {
    return a.han && b.han && b.start === a.start + 1;
  }

  function textTokens(folded, base) {
    var us = units(folded);
    var out = [];
    us.forEach(function (u, i) {
      var pos = base + i;
      if (u.han) {
        out.push([u.text, pos]);
        var next = us[i + 1];
        if (next && sameRun(u, next)) out.push([u.text + next.text, pos]);
      } else {
        if (u.text.endsWith("%")) out.push([u.text.slice(0, -1), pos]);
        out.push([u.text, pos]);
      }
    });
    return out;
  }

  function queryPart(folded) {
    var us = units(folded);
    var out = [];
    us.forEach(function (u, i) {
      if (u.han) {
        var prevInRun = i > 0 && sameRun(us[i - 1], u);
        var next = us[i + 1];
        if (next && sameRun(u, next)) out.push([u.text + next.text, i]);
        else if (!prevInRun) out.push([u.text, i]);
      } else {
        out.push([u.text, i]);
      }
    });
    return out;
  }

  // Whitespace as Rust's char::is_whitespace plus U+FEFF (JS \s has it).
  function queryParts(folded) {
    return folded.split(/[\s\u0085]/).map(queryPart).filter(function (p) {
      return p.length > 0;
    });
  }

  function shardOf(token, shards) {
    var h = 0x811c9dc5;
    for (var ch of token) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % Math.max(shards, 1);
  }

  // ---- postings ----

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  function decodePostings(s) {
    var nums = [];
    var n = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var v = ALPHABET.indexOf(s[i]);
      n += (v & 31) * Math.pow(2, shift);
      if (v & 32) shift += 5;
      else { nums.push(n); n = 0; shift = 0; }
    }
    var out = [];
    var doc = 0, k = 0;
    while (k < nums.length) {
      doc += nums[k++];
      var count = nums[k++];
      var positions = new Array(count);
      var pos = 0;
      for (var j = 0; j < count; j++) { pos += nums[k++]; positions[j] = pos; }
      out.push({ doc: doc, positions: positions });
    }
    return out;
  }

  function bsearch(arr, x, key) {
    var lo = 0, hi = arr.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      var v = key ? arr[mid][key] : arr[mid];
      if (v === x) return mid;
      if (v < x) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  // ---- evaluation (same as src/index/query.rs) ----

  function evaluate(parts, loaded, layout) {
    if (!parts.length) return [];
    function rank(pos) {
      return pos < layout.headingBase ? 3 : pos < layout.bodyBase ? 2 : 1;
    }
    function partDocs(part) {
      var lists = [];
      for (var t of part) {
        var l = loaded.get(t[0]);
        if (!l) return [];
        lists.push(l);
      }
      lists.sort(function (a, b) { return a.length - b.length; });
      return lists[0].map(function (p) { return p.doc; }).filter(function (d) {
        return lists.slice(1).every(function (l) { return bsearch(l, d, "doc") >= 0; });
      });
    }
    function partBases(part, doc) {
      var lists = [];
      for (var t of part) {
        var l = loaded.get(t[0]);
        var i = l ? bsearch(l, doc, "doc") : -1;
        if (i < 0) return [];
        lists.push(l[i].positions);
      }
      var first = part[0][1];
      return lists[0].filter(function (p) { return p >= first; }).map(function (p) {
        return p - first;
      }).filter(function (base) {
        return part.every(function (t, i) { return bsearch(lists[i], base + t[1]) >= 0; });
      });
    }
    function span(part) {
      var m = 0;
      for (var t of part) {
        var cs = Array.from(t[0]);
        var pair = cs.length === 2 && cs.every(function (c) { return isHan(c.codePointAt(0)); });
        m = Math.max(m, t[1] + (pair ? 2 : 1));
      }
      return m;
    }
    var docs = partDocs(parts[0]);
    parts.slice(1).forEach(function (part) {
      var other = partDocs(part);
      docs = docs.filter(function (d) { return bsearch(other, d) >= 0; });
    });
    var joined = [], shift = 0;
    parts.forEach(function (p) {
      p.forEach(function (t) { joined.push([t[0], t[1] + shift]); });
      shift += span(p);
    });
    var hits = [];
    docs.forEach(function (doc) {
      var score = 0, best = null;
      for (var part of parts) {
        var bases = partBases(part, doc);
        if (!bases.length) return;
        var r = rank(bases[0]);
        score += r * 100 + Math.min(bases.length, 99);
        if (!best || r > best[0]) best = [r, bases[0]];
      }
      if (parts.length > 1 && partBases(joined, doc).length) score += 1000;
      hits.push({ doc: doc, score: score, at: best ? best[1] : 0 });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return hits;
  }

  // Each token's head and body postings as one page-ordered list, a page's
  // head positions first (encode.rs `join`). A token with a position in the
  // wrong half (a head position at or past bodyBase, a body one before it)
  // is refused, as encode.rs refuses it: left out, never ranked as a title.
  function join(head, body, bodyBase) {
    var out = new Map();
    var past = function (p) { return p.positions.some(function (x) { return x >= bodyBase; }); };
    var before = function (p) { return p.positions.some(function (x) { return x < bodyBase; }); };
    new Set(Array.from(head.keys()).concat(Array.from(body.keys()))).forEach(function (t) {
      var h = head.get(t) || [], b = body.get(t) || [], list = [], i = 0, j = 0;
      if (h.some(past) || b.some(before)) return;
      while (i < h.length || j < b.length) {
        if (j >= b.length || (i < h.length && h[i].doc < b[j].doc)) list.push(h[i++]);
        else if (i >= h.length || b[j].doc < h[i].doc) list.push(b[j++]);
        else list.push({ doc: h[i].doc, positions: h[i++].positions.concat(b[j++].positions) });
      }
      out.set(t, list);
    });
    return out;
  }

  // Both passes (query.rs `evaluate`): the pages found in the head, then
  // the other pages found in the joined postings.
  function evaluateAll(parts, head, full, layout) {
    var first = evaluate(parts, head, layout);
    var seen = new Set(first.map(function (h) { return h.doc; }));
    return first.concat(evaluate(parts, full, layout).filter(function (h) { return !seen.has(h.doc); }));
  }

  var api = {
    makeFold: makeFold, units: units, textTokens: textTokens,
    queryParts: queryParts, shardOf: shardOf, decodePostings: decodePostings,
    evaluate: evaluate, join: join, evaluateAll: evaluateAll
  };
  window.lendguideSearch = api;

  // ---- the page ----

  var PAGE = 10;

  var input = document.getElementById("search-input");
  if (!input) return;
  var $ = function (id) { return document.getElementById(id); };
  var results = $("search-results"), status = $("search-status");
  var more = $("search-more"), moreWrap = $("search-more-wrap");
  var suggest = $("search-suggest"), all = $("search-all");
  var indexUrl = input.getAttribute("data-index");
  var root = input.getAttribute("data-root");
  var script = input.getAttribute("data-script") === "hant" ? "hant" : "hans";
  $("search-nojs").hidden = true;

  function msg(name, vars) {
    var el = document.querySelector('#search-messages [data-msg="' + name + '"]');
    var text = el ? el.textContent : "";
    Object.keys(vars || {}).forEach(function (k) { text = text.split("{" + k + "}").join(vars[k]); });
    return text;
  }

  var cache = new Map();
  function getJson(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(indexUrl + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.json();
      }));
    }
    return cache.get(path);
  }
  var manifest = getJson("manifest.json");
  var foldPromise = manifest.then(function (m) { return makeFold(m.fold); });

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }
  function unique(xs) {
    return Array.from(new Set(xs));
  }

  // The head postings of `tokens` (titles, names, headings), and which of
  // them have their body postings in a file of their own (shards.rs).
  async function loadHead(tokens, count) {
    var ids = unique(tokens.map(function (t) { return shardOf(t, count); }));
    var shards = await Promise.all(ids.map(function (n) { return getJson("head/" + n + ".json"); }));
    var loaded = new Map(), own = new Set();
    tokens.forEach(function (t) {
      var shard = shards[ids.indexOf(shardOf(t, count))];
      if (has(shard.postings, t)) loaded.set(t, decodePostings(shard.postings[t]));
      if (shard.own.indexOf(t) >= 0) own.add(t);
    });
    return { loaded: loaded, own: own };
  }

  // A token's UTF-8 bytes in hex: the name of its own body file.
  function hex(t) {
    return Array.from(new TextEncoder().encode(t), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  // The body postings of `tokens`: from their own files, or the shards.
  async function loadBody(tokens, count, own) {
    var light = tokens.filter(function (t) { return !own.has(t); });
    var ids = unique(light.map(function (t) { return shardOf(t, count); }));
    var heavy = tokens.filter(function (t) { return own.has(t); });
    var files = await Promise.all([
      Promise.all(ids.map(function (n) { return getJson("body/" + n + ".json"); })),
      Promise.all(heavy.map(function (t) { return getJson("body/own/" + hex(t) + ".json"); }))
    ]);
    var loaded = new Map();
    light.forEach(function (t) {
      var shard = files[0][ids.indexOf(shardOf(t, count))];
      if (has(shard, t)) loaded.set(t, decodePostings(shard[t]));
    });
    heavy.forEach(function (t, i) { loaded.set(t, decodePostings(files[1][i])); });
    return loaded;
  }

  async function search(query) {
    var m = await manifest;
    var fold = await foldPromise;
    var parts = queryParts(fold(query));
    var tokens = unique([].concat.apply([], parts.map(function (p) {
      return p.map(function (t) { return t[0]; });
    })));
    var fromHead = await loadHead(tokens, m.headShards), head = fromHead.loaded;
    // The first pass: pages with every word in a title or heading, which
    // rank above all others, so they are the first results as they stand.
    var found = {
      hits: evaluate(parts, head, m), complete: false,
      parts: parts, fold: fold, py: pinyinTable(m.py)
    };
    // The second pass reads the body shards: every other page, and so the
    // exact count. Called after the first screen when the head filled it.
    found.finish = async function () {
      var body = await loadBody(tokens, m.bodyShards, fromHead.own);
      found.hits = evaluateAll(parts, head, join(head, body, m.bodyBase), m);
      found.complete = true;
    };
    if (found.hits.length < PAGE) await found.finish();
    return found;
  }

  // The manifest's pinyin of the Han characters in titles and lender
  // names, "微wei粒li贷dai", as a Map from character to syllable.
  function pinyinTable(s) {
    var map = new Map(), re = /([^a-z])([a-z]+)/g, m;
    while ((m = re.exec(s || ""))) map.set(m[1], m[2]);
    return map;
  }

  // Folded characters without the commas that separate thousands (the
  // tokeniser reads 10,000 as 10000), and where each one stands in `cs`.
  function squeeze(cs) {
    var drop = new Set();
    units(cs.join("")).forEach(function (u) {
      if (u.han) return;
      for (var k = u.start; k < u.start + u.len; k++) if (cs[k] === ",") drop.add(k);
    });
    var out = [], at = [];
    cs.forEach(function (c, k) { if (!drop.has(k)) { out.push(c); at.push(k); } });
    at.push(cs.length);
    return { cs: out, at: at };
  }

  // Code-point ranges in `text` where a query part (or, failing that, one
  // of its runs of units) occurs, after folding; a Latin word that spells a
  // run of Han characters in pinyin (weilidai, wld) marks that run.
  function marks(text, query, fold, py) {
    var folded = Array.from(fold(text));
    var sq = squeeze(folded), hay = sq.cs;
    var found = [];
    function push(i, n) { found.push([sq.at[i], sq.at[i + n - 1] + 1]); }
    function find(needle) {
      var n = squeeze(Array.from(needle)).cs, hit = false;
      if (!n.length) return false;
      for (var i = 0; i + n.length <= hay.length; i++) {
        var ok = true;
        for (var j = 0; j < n.length && ok; j++) ok = hay[i + j] === n[j];
        if (ok) { push(i, n.length); hit = true; }
      }
      return hit;
    }
    function findPinyin(word) {
      var hit = false;
      if (!py || !/^[a-z]{2,}$/.test(word)) return false;
      for (var i = 0; i < hay.length; i++) {
        var full = "", initials = "";
        for (var j = i; j < hay.length && py.has(hay[j]); j++) {
          full += py.get(hay[j]);
          initials += py.get(hay[j])[0];
          if (j > i && (full === word || initials === word)) { push(i, j - i + 1); hit = true; }
          if (initials.length >= word.length) break;
        }
      }
      return hit;
    }
    fold(query).split(/[\s\u0085]/).forEach(function (part) {
      var us = units(part);
      if (!us.length) return;
      var cs = Array.from(part);
      var whole = cs.slice(us[0].start, us[us.length - 1].start + us[us.length - 1].len).join("");
      if (find(whole) || findPinyin(whole)) return;
      var seq = [us[0]];
      function flush() {
        find(cs.slice(seq[0].start, seq[seq.length - 1].start + seq[seq.length - 1].len).join(""));
      }
      for (var i = 1; i < us.length; i++) {
        var prev = seq[seq.length - 1];
        if (us[i].start === prev.start + prev.len) seq.push(us[i]);
        else { flush(); seq = [us[i]]; }
      }
      flush();
    });
    found.sort(function (a, b) { return a[0] - b[0]; });
    return found.filter(function (r, i) { return i === 0 || r[0] >= found[i - 1][1]; });
  }

  // Appends cs[from, to) to `el`, the ranges wrapped in <mark>.
  function marked(el, cs, ranges, from, to) {
    var at = from;
    ranges.filter(function (r) { return r[0] >= from && r[1] <= to; }).forEach(function (r) {
      el.appendChild(document.createTextNode(cs.slice(at, r[0]).join("")));
      var mark = document.createElement("mark");
      mark.textContent = cs.slice(r[0], r[1]).join("");
      el.appendChild(mark);
      at = r[1];
    });
    el.appendChild(document.createTextNode(cs.slice(at, to).join("")));
    return el;
  }

  function snippet(text, ranges) {
    var cs = Array.from(text);
    var from = ranges.length ? Math.max(0, ranges[0][0] - 30) : 0;
    var to = Math.min(cs.length, from + 110);
    var p = document.createElement("p");
    p.className = "result-snippet";
    if (from > 0) p.appendChild(document.createTextNode("…"));
    marked(p, cs, ranges, from, to);
    if (to < cs.length) p.appendChild(document.createTextNode("…"));
    return p;
  }

  function resultItem(hit, doc, query, fold, py) {
    // The block holding the match: the last one starting at or before it.
    var block = doc.b[0];
    doc.b.forEach(function (b) { if (b[0] <= hit.at && b[0] >= block[0]) block = b; });
    var section = doc.s[block[1]] || ["", doc.t];
    // Quote body text: after a title match the page's first body block;
    // after a heading match the body under it if it shows the words, else
    // the heading itself.
    var firstBody = doc.b.find(function (b) { return b[0] >= hit.bodyBase; }) || block;
    var quote = block;
    if (block[0] < hit.headingBase) {
      quote = firstBody;
    } else if (block[0] < hit.bodyBase) {
      var under = doc.b.find(function (b) { return b[0] >= hit.bodyBase && b[1] === block[1]; });
      if (under && marks(under[2], query, fold, py).length) quote = under;
    }
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.className = "result-title";
    a.href = root + doc.u + (section[0] ? "#" + section[0] : "");
    var title = Array.from(doc.t);
    li.appendChild(marked(a, title, marks(doc.t, query, fold, py), 0, title.length));
    var meta = document.createElement("p");
    meta.className = "result-meta";
    meta.textContent = [doc.l || msg("topic"), doc.k].filter(function (x, i, xs) {
      return x && xs.indexOf(x) === i;
    }).join(" · ") + (section[0] ? " › " + section[1] : "");
    li.appendChild(meta);
    li.appendChild(snippet(quote[2], marks(quote[2], query, fold, py)));
    return li;
  }

  var current = 0, shown = [], lastQuery = null;

  async function showMore(ticket, query, found) {
    var m = await manifest;
    var batch = found.hits.slice(shown.length, shown.length + PAGE);
    var docs = await Promise.all(batch.map(function (h) {
      return getJson("docs/" + script + "/" + h.doc + ".json");
    }));
    if (ticket !== current) return;
    batch.forEach(function (h, i) {
      h.headingBase = m.headingBase;
      h.bodyBase = m.bodyBase;
      results.appendChild(resultItem(h, docs[i], query, found.fold, found.py));
      shown.push(h);
    });
    moreWrap.hidden = shown.length >= found.hits.length;
  }

  // The index's files did not load: says so, and marks the list as done.
  function failed(ticket, q) {
    if (ticket !== current) return;
    status.textContent = msg("error");
    results.setAttribute("data-query", q);
  }

  async function run(query) {
    var ticket = ++current;
    var q = query.trim();
    if (q === lastQuery) return;
    lastQuery = q;
    var url = q ? "?q=" + encodeURIComponent(q) : location.pathname;
    history.replaceState(null, "", url);
    results.textContent = "";
    results.removeAttribute("data-query");
    shown = [];
    moreWrap.hidden = true;
    all.hidden = q !== "";
    if (!q) {
      status.textContent = msg("empty");
      suggest.hidden = false;
      results.setAttribute("data-query", q);
      return;
    }
    status.textContent = msg("loading");
    var found;
    try {
      found = await search(q);
    } catch (e) {
      failed(ticket, q);
      return;
    }
    if (ticket !== current) return;
    more.onclick = function () { showMore(ticket, q, found); };
    await showMore(ticket, q, found);
    if (ticket !== current) return;
    if (!found.complete) {
      // The first screen came from the head alone; the body shards follow.
      status.textContent = msg("counting", { n: found.hits.length });
      if (performance.mark) performance.mark("lendguide-search-first");
      try {
        await found.finish();
      } catch (e) {
        failed(ticket, q);
        return;
      }
      if (ticket !== current) return;
      moreWrap.hidden = shown.length >= found.hits.length;
    }
    // The count appears together with the results it counts, never over an
    // empty list while their pages load.
    if (ticket === current) {
      suggest.hidden = found.hits.length > 0;
      status.textContent = found.hits.length ? msg("count", { n: found.hits.length }) : msg("none", { q: q });
      // Says the list is complete for this query (themes and tests wait on it).
      results.setAttribute("data-query", q);
      if (performance.mark) performance.mark("lendguide-search-done");
    }
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 120);
  });
  $("search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });

  // Keyboard: ArrowDown from the box into the results, up and down between
  // them, ArrowUp from the first back to the box; Enter follows the link.
  function links() {
    return Array.from(results.querySelectorAll("li > a.result-title"));
  }
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && links().length) { e.preventDefault(); links()[0].focus(); }
  });
  results.addEventListener("keydown", function (e) {
    var ls = links(), i = ls.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === "ArrowDown" && i + 1 < ls.length) { e.preventDefault(); ls[i + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? ls[i - 1] : input).focus(); }
  });

  var initial = new URLSearchParams(location.search).get("q") || "";
  input.value = initial;
  run(initial);
})();
