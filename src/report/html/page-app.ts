/**
 * The script of plan.html and report.html, run by the browser (kept as text: the
 * page is one self-contained file, and tsc targets Node, not the DOM).
 *
 * It reads three `<script type="application/json">` blocks (head, rows, tail; see
 * page.ts) and builds the page with createElement/textContent only: every value
 * from the tenant or the directory is text, never markup, so a display name such
 * as `<img src=x onerror=...>` shows as itself. It never fetches anything.
 *
 * 100,000 rows: the table shows one page (PAGE_SIZE rows) at a time, filters are
 * one pass over arrays, and the search text of each row is built once, on first
 * use. `data-ready`, `data-load-ms`, `data-filter-ms` and `data-filter-seq` on
 * <body> let the browser test measure load and filter time.
 */
export const PAGE_APP = String.raw`(function () {
  'use strict';
  var PAGE_SIZE = 100;
  var started = performance.now();
  var phases = {};
  var last = started;
  function mark(name) { var now = performance.now(); phases[name] = Math.round(now - last); last = now; }
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }
  var head = data('e2a-head');
  var rows = data('e2a-rows');
  var tail = data('e2a-tail');
  var app = document.getElementById('app');
  mark('parse');

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function fmt(n) { return Number(n).toLocaleString('en-US'); }
  function cellText(v) {
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) return v.map(function (w) { return Array.isArray(w) ? w[0] + ': ' + w[1] : String(w); }).join('\n');
    return String(v);
  }
  function tokens(v) {
    if (!Array.isArray(v)) return v === null || v === undefined || v === '' ? [] : [String(v)];
    return v.map(function (w) { return Array.isArray(w) ? String(w[0]) : String(w); });
  }
  function section(title, id) {
    var s = add(app, el('section'));
    if (id) s.id = id;
    add(s, el('h2', null, title));
    return s;
  }

  document.title = head.title;
  add(app, el('h1', null, head.title));
  var facts = add(app, el('dl', 'facts'));
  head.facts.forEach(function (f) { add(facts, el('dt', null, f[0])); add(facts, el('dd', null, f[1])); });

  // Tenant-level findings: a stop means apply writes nothing.
  if (tail.findings && tail.findings.length) {
    var fs = section('Tenant findings', 'findings');
    tail.findings.forEach(function (f) {
      var p = add(fs, el('p', 'finding ' + f.level));
      add(p, el('strong', null, f.level.toUpperCase() + ' ' + f.code + ': '));
      add(p, document.createTextNode(f.message));
    });
  }

  // The counts as bar charts.
  tail.charts.forEach(function (chart) {
    var s = section(chart.title, null);
    s.className = 'chart';
    var max = Math.max.apply(null, [1].concat(chart.bars.map(function (b) { return b.value; })));
    chart.bars.forEach(function (b) {
      var row = add(s, el('div', 'bar-row'));
      row.setAttribute('data-count', b.key);
      add(row, el('span', 'bar-label', b.label));
      var track = add(row, el('span', 'bar-track'));
      var bar = add(track, el('span', 'bar tone-' + b.tone));
      bar.style.width = (100 * b.value / max).toFixed(2) + '%';
      add(row, el('span', 'bar-value', fmt(b.value)));
    });
  });

  mark('charts');
  // The users table: filters, search, pages.
  var cols = head.columns;
  var filterCols = [];
  cols.forEach(function (c, i) { if (c.filter) filterCols.push(i); });
  var searchCols = [];
  cols.forEach(function (c, i) { if (c.search) searchCols.push(i); });
  var active = {};
  var query = '';
  var haystack = null;
  var shown = rows.map(function (_r, i) { return i; });
  var page = 0;
  var seq = 0;
  var selects = {};

  function matches(r) {
    for (var k in active) {
      var v = r[k];
      if (cols[k].tokens) { if (tokens(v).indexOf(active[k]) < 0) return false; }
      else if (cellText(v) !== active[k]) return false;
    }
    return true;
  }
  function applyFilters() {
    var t0 = performance.now();
    if (query && !haystack) {
      haystack = rows.map(function (r) { return searchCols.map(function (i) { return cellText(r[i]); }).join('\u0001').toLowerCase(); });
    }
    var q = query.toLowerCase();
    var out = [];
    var anyFilter = Object.keys(active).length > 0;
    for (var i = 0; i < rows.length; i++) {
      if (anyFilter && !matches(rows[i])) continue;
      if (q && haystack[i].indexOf(q) < 0) continue;
      out.push(i);
    }
    shown = out;
    page = 0;
    render();
    seq++;
    document.body.setAttribute('data-filter-ms', (performance.now() - t0).toFixed(1));
    document.body.setAttribute('data-filter-seq', String(seq));
  }
  function setFilter(col, value) {
    if (value === '') delete active[col]; else active[col] = value;
    if (selects[col]) selects[col].value = value;
  }

  // Groups of reasons: one block per reason code, with its count and its sentences (why, and the fix).
  function groupRows(spec) {
    var groups = {};
    var order = [];
    rows.forEach(function (r) {
      if (spec.values.indexOf(cellText(r[spec.col])) < 0) return;
      var code = cellText(r[spec.reasonCol]);
      var g = groups[code];
      if (!g) { g = groups[code] = { code: code, value: cellText(r[spec.col]), count: 0, messages: {} }; order.push(code); }
      g.count++;
      var m = cellText(r[spec.messageCol]);
      g.messages[m] = (g.messages[m] || 0) + 1;
    });
    return order.map(function (c) { return groups[c]; }).sort(function (a, b) { return b.count - a.count || (a.code < b.code ? -1 : 1); });
  }
  function renderGroup(parent, g, spec, sentence) {
    var box = add(parent, el('div', 'group tone-' + spec.tone));
    box.setAttribute('data-reason', g.code);
    var h = add(box, el('h3'));
    add(h, el('code', null, g.code));
    add(h, el('span', 'count', ' ' + fmt(g.count) + ' user(s)'));
    if (sentence) add(box, el('p', 'sentence', sentence));
    var msgs = Object.keys(g.messages).sort(function (a, b) { return g.messages[b] - g.messages[a]; });
    var ul = add(box, el('ul', 'messages'));
    msgs.slice(0, 3).forEach(function (m) {
      var li = add(ul, el('li', null, m));
      if (g.messages[m] > 1) add(li, el('span', 'times', ' (' + fmt(g.messages[m]) + ' users)'));
    });
    if (msgs.length > 3) add(ul, el('li', 'more', fmt(msgs.length - 3) + ' more distinct sentence(s): see the table'));
    var btn = add(box, el('button', null, 'Show these users'));
    btn.type = 'button';
    btn.addEventListener('click', function () {
      Object.keys(active).forEach(function (k) { setFilter(k, ''); });
      if (spec.tokens) setFilter(spec.col, g.code);
      else { setFilter(spec.col, g.value); setFilter(spec.reasonCol, g.code); }
      applyFilters();
      document.getElementById('users').scrollIntoView();
    });
  }
  head.groups.forEach(function (spec) {
    var gs = spec.tokens ? tokenGroups(spec) : groupRows(spec);
    if (!gs.length) return;
    var s = section(spec.title, null);
    s.className = 'groups';
    if (spec.note) add(s, el('p', 'note', spec.note));
    var holder = s;
    if (spec.collapsed) { var d = add(s, el('details')); add(d, el('summary', null, fmt(gs.length) + ' reason(s)')); holder = d; }
    gs.forEach(function (g) { renderGroup(holder, g, spec, (tail.sentences || {})[g.code]); });
  });
  function tokenGroups(spec) {
    var groups = {};
    rows.forEach(function (r) {
      var v = r[spec.col];
      if (!Array.isArray(v)) return;
      v.forEach(function (w) {
        var code = String(w[0]);
        var g = groups[code] || (groups[code] = { code: code, count: 0, messages: {} });
        g.count++;
        g.messages[String(w[1])] = (g.messages[String(w[1])] || 0) + 1;
      });
    });
    return Object.keys(groups).map(function (c) { return groups[c]; }).sort(function (a, b) { return b.count - a.count || (a.code < b.code ? -1 : 1); });
  }

  mark('groups');
  // The OU tree the accounts go into, from the DNs in the rows (domain at the root).
  function splitDn(dn) {
    var parts = [];
    var cur = '';
    for (var i = 0; i < dn.length; i++) {
      var ch = dn.charAt(i);
      if (ch === '\\' && i + 1 < dn.length) { cur += ch + dn.charAt(i + 1); i++; continue; }
      if (ch === ',') { parts.push(cur.trim()); cur = ''; continue; }
      cur += ch;
    }
    if (cur.trim()) parts.push(cur.trim());
    return parts;
  }
  function firstComma(dn) {
    for (var i = 0; i < dn.length; i++) {
      var ch = dn.charCodeAt(i);
      if (ch === 92) i++;
      else if (ch === 44) return i;
    }
    return -1;
  }
  if (head.tree) {
    var t = head.tree;
    var root = { name: '', children: {}, order: [], counts: {} };
    // Count by parent DN first (few distinct), then split each distinct parent once.
    var byParent = {};
    var parents = [];
    rows.forEach(function (r) {
      var value = cellText(r[t.col]);
      if (t.values.indexOf(value) < 0) return;
      var dn = cellText(r[t.dnCol]);
      var cut = firstComma(dn);
      if (cut < 0) return;
      var parent = dn.slice(cut + 1);
      var c = byParent[parent];
      if (!c) { c = byParent[parent] = {}; parents.push(parent); }
      c[value] = (c[value] || 0) + 1;
    });
    parents.forEach(function (parent) {
      var rdns = splitDn(parent).reverse();
      var domain = rdns.filter(function (x) { return /^dc=/i.test(x); });
      var path = [domain.reverse().join(',')].concat(rdns.filter(function (x) { return !/^dc=/i.test(x); }));
      var node = root;
      path.forEach(function (name) {
        var child = node.children[name];
        if (!child) { child = node.children[name] = { name: name, children: {}, order: [], counts: {} }; node.order.push(name); }
        node = child;
      });
      var c = byParent[parent];
      Object.keys(c).forEach(function (v) { node.counts[v] = (node.counts[v] || 0) + c[v]; });
    });
    var ts = section(t.title, 'ou-tree');
    if (!root.order.length) add(ts, el('p', 'note', 'No account goes into the directory.'));
    var targetLower = (t.targetOu || '').toLowerCase().replace(/\s*,\s*/g, ',');
    var renderNode = function (node, parent, dnSoFar) {
      var ul = add(parent, el('ul', 'tree'));
      node.order.forEach(function (name) {
        var child = node.children[name];
        var dn = dnSoFar ? name + ',' + dnSoFar : name;
        var li = add(ul, el('li'));
        add(li, el('span', 'ou', name));
        var counts = t.values.filter(function (v) { return child.counts[v]; }).map(function (v) { return fmt(child.counts[v]) + ' ' + v; });
        if (counts.length) add(li, el('span', 'count', ' ' + counts.join(', ')));
        if (t.targetOuExists === false && dn.toLowerCase() === targetLower) add(li, el('span', 'new', ' (does not exist yet: apply creates it)'));
        renderNode(child, li, dn);
      });
    };
    renderNode(root, ts, '');
  }

  mark('tree');
  // Table.
  var ts2 = section(head.tableTitle, 'users');
  var controls = add(ts2, el('div', 'controls'));
  filterCols.forEach(function (ci) {
    var label = add(controls, el('label', null, cols[ci].label + ' '));
    var sel = add(label, el('select'));
    sel.name = cols[ci].key;
    selects[ci] = sel;
    var counts = {};
    rows.forEach(function (r) {
      var vs = cols[ci].tokens ? tokens(r[ci]) : [cellText(r[ci])];
      vs.forEach(function (v) { if (v !== '') counts[v] = (counts[v] || 0) + 1; });
    });
    var all = add(sel, el('option', null, 'all'));
    all.value = '';
    Object.keys(counts).sort().forEach(function (v) {
      var o = add(sel, el('option', null, v + ' (' + fmt(counts[v]) + ')'));
      o.value = v;
    });
    sel.addEventListener('change', function () { setFilter(ci, sel.value); applyFilters(); });
  });
  var searchLabel = add(controls, el('label', null, 'Search '));
  var search = add(searchLabel, el('input'));
  search.type = 'search';
  search.name = 'search';
  search.placeholder = searchCols.map(function (i) { return cols[i].label; }).join(', ');
  var timer = null;
  search.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { query = search.value.trim(); applyFilters(); }, 120);
  });
  var status = add(ts2, el('p', 'status'));
  status.setAttribute('aria-live', 'polite');
  var pager = add(ts2, el('div', 'pager'));
  var prev = add(pager, el('button', null, 'Previous'));
  prev.type = 'button';
  var next = add(pager, el('button', null, 'Next'));
  next.type = 'button';
  prev.addEventListener('click', function () { if (page > 0) { page--; render(); } });
  next.addEventListener('click', function () { if ((page + 1) * PAGE_SIZE < shown.length) { page++; render(); } });
  var table = add(ts2, el('table'));
  var thr = add(add(table, el('thead')), el('tr'));
  cols.forEach(function (c) { add(thr, el('th', c.cls || null, c.label)); });
  var tbody = add(table, el('tbody'));

  function render() {
    var from = page * PAGE_SIZE;
    var to = Math.min(shown.length, from + PAGE_SIZE);
    var frag = document.createDocumentFragment();
    for (var i = from; i < to; i++) {
      var r = rows[shown[i]];
      var tr = el('tr');
      for (var c = 0; c < cols.length; c++) add(tr, el('td', cols[c].cls || null, cellText(r[c])));
      frag.appendChild(tr);
    }
    tbody.replaceChildren(frag);
    status.textContent = shown.length === 0
      ? 'No user matches (' + fmt(rows.length) + ' in total).'
      : 'Showing ' + fmt(from + 1) + '-' + fmt(to) + ' of ' + fmt(shown.length) + ' matching user(s) (' + fmt(rows.length) + ' in total).';
    status.setAttribute('data-matching', String(shown.length));
    prev.disabled = page === 0;
    next.disabled = to >= shown.length;
  }
  mark('filters');
  render();
  mark('render');
  document.body.setAttribute('data-phases', JSON.stringify(phases));
  document.body.setAttribute('data-load-ms', (performance.now() - started).toFixed(1));
  document.body.setAttribute('data-ready', 'true');
})();
`;
