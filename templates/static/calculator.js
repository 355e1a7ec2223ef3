// The calculator page: form ⇄ URL query ⇄ lendguideCalc.compute (calc.js).
// Owns the page only: which fields each type shows, reading and writing the
// query (so a result can be shared), and drawing results as the guides'
// tables. All arithmetic is calc.js's. Every text it draws comes from the
// page (#calc-messages), so the Traditional page draws Traditional text.
(function () {
  'use strict';
  var form = document.getElementById('calc-form');
  if (!form || !window.lendguideCalc) return;
  var out = document.getElementById('calc-out');
  var share = document.getElementById('calc-share');
  document.getElementById('calc-nojs').hidden = true;
  form.hidden = false;

  // A text from #calc-messages with its {name} marks filled in.
  function msg(name, vars) {
    var m = document.querySelector('#calc-messages [data-msg="' + name + '"]');
    var text = m ? m.textContent : '';
    Object.keys(vars || {}).forEach(function (k) { text = text.split('{' + k + '}').join(vars[k]); });
    return text;
  }
  // An option's label in the page's script, when its count reads as calc.js
  // reads it (`+090` is 90); otherwise calc.js reports the bad count.
  function label(o) {
    var n = function (v) { return /^\+?[0-9]+$/.test((v || '').trim()) ? String(Number(v.trim().replace('+', ''))) : null; };
    var days = n(o.days), months = n(o.months);
    if (o.kind === 'stay-overdue' && days) return msg('label-stay-overdue', { days: days });
    if (o.kind === 'settle') return msg('label-settle');
    if ((o.kind === 'installment' || o.kind === 'extension') && months) return msg('label-' + o.kind, { months: months });
    return '';
  }
  function type() { return form.querySelector('input[name=type]:checked').value; }
  function refresh() {
    var t = type();
    form.querySelectorAll('[data-for]').forEach(function (el) {
      el.hidden = el.getAttribute('data-for').split(' ').indexOf(t) < 0;
    });
    form.querySelectorAll('fieldset.option').forEach(function (fs) {
      var kind = fs.querySelector('select').value;
      fs.querySelectorAll('[data-kind]').forEach(function (el) {
        el.hidden = el.getAttribute('data-kind').split(' ').indexOf(kind) < 0;
      });
    });
  }
  function visible(el) {
    for (var n = el; n && n !== form; n = n.parentElement) if (n.hidden) return false;
    return true;
  }
  // The query: non-empty visible fields, in page order.
  function params() {
    var p = new URLSearchParams();
    p.set('type', type());
    form.querySelectorAll('input:not([type=radio]), select').forEach(function (el) {
      if (el.value.trim() !== '' && visible(el)) p.set(el.name, el.value.trim());
    });
    return p;
  }
  function fill(p) {
    var t = p.get('type');
    var radio = form.querySelector('input[name=type][value="' + (t || '').replace(/[^a-z-]/g, '') + '"]');
    if (radio) radio.checked = true;
    form.querySelectorAll('input:not([type=radio]), select').forEach(function (el) {
      if (p.has(el.name)) el.value = p.get(el.name);
      else if (t) el.value = el.tagName === 'SELECT' ? el.options[0].value : '';
    });
  }
  // The example mapping, as in a guide's YAML.
  function input(p) {
    var t = p.get('type'), x = { id: 'calculator', title: '计算器', type: t };
    var take = function (into, keys, prefix) {
      keys.forEach(function (k) { var v = p.get((prefix || '') + k); if (v !== null && v !== '') into[k] = v; });
      return into;
    };
    var pen = {};
    ['markup', 'annual_rate', 'daily_rate'].forEach(function (k) { var v = p.get('penalty_' + k); if (v) pen[k] = v; });
    if (t === 'overdue') {
      take(x, ['principal', 'annual_rate', 'daily_rate', 'day_count', 'days', 'unpaid_interest', 'compound']);
      x.penalty = pen;
    } else if (t === 'schedule') {
      take(x, ['principal', 'annual_rate', 'day_count', 'months', 'method', 'monthly_fee_rate', 'upfront_fee']);
    } else {
      x.situation = take({}, ['principal', 'unpaid_interest', 'penalty_accrued', 'annual_rate', 'daily_rate', 'day_count']);
      x.situation.penalty = pen;
      x.options = [];
      for (var n = 1; n <= 4; n++) {
        if (!p.get('o' + n + '_kind')) continue;
        var o = take({}, ['kind', 'days', 'months', 'method', 'annual_rate', 'monthly_fee_rate', 'waive_penalty', 'waive_interest'], 'o' + n + '_');
        if (label(o)) o.label = label(o);
        x.options.push(o);
      }
    }
    return x;
  }
  function money(s) { return msg('yuan', { n: yuan(s) }); }
  function yuan(s) {
    var neg = s[0] === '-', t = neg ? s.slice(1) : s, i = t.indexOf('.');
    return (neg ? '-' : '') + t.slice(0, i).replace(/\B(?=(\d{3})+$)/g, ',') + t.slice(i);
  }
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (kids || []).forEach(function (k) { e.append(k); });
    return e;
  }
  // `name`: a table that may be wider than a phone scrolls in its wrapper,
  // which is then a named region that takes focus, so keys can scroll it.
  function table(cls, head, rows, numFrom, name) {
    var tr = function (cells, th) {
      return el('tr', {}, cells.map(function (c, i) {
        var a = i >= numFrom ? { class: 'num' } : {};
        if (i === 0) a.scope = th ? 'col' : 'row';
        else if (th) a.scope = 'col';
        if (!th && i > 0 && cls === 'options') a['data-label'] = head[i];
        return el(i === 0 || th ? 'th' : 'td', a, [c]);
      }));
    };
    var wrap = name ? { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': name } : { class: 'table-wrap' };
    return el('div', wrap, [el('table', cls ? { class: cls } : {}, [
      el('thead', {}, [tr(head, true)]), el('tbody', {}, rows.map(function (r) { return tr(r, false); }))])]);
  }
  function totals(items) {
    return el('dl', { class: 'totals' }, items.map(function (i) { return el('div', {}, [el('dt', {}, [i[0]]), el('dd', {}, [i[1]])]); }));
  }
  function draw(r) {
    out.textContent = '';
    if (r.error) {
      out.append(el('p', { class: 'warning', role: 'alert' }, [msg('error', { code: r.error.code, message: r.error.message })]));
      return;
    }
    var h = el('h2', { id: 'result-h' }, [msg('result')]);
    out.append(h);
    if (r.type === 'overdue') {
      out.append(table('', [msg('item'), msg('amount')], [[msg('interest'), yuan(r.interest)], [msg('penalty'), yuan(r.penalty)], [msg('compound'), yuan(r.compound)]], 1));
      out.append(totals([[msg('total-charges'), money(r.total_charges)], [msg('total-due'), money(r.total_due)]]));
    } else if (r.type === 'schedule') {
      out.append(totals([[msg('total-interest'), money(r.total_interest)], [msg('total-fees'), money(r.total_fees)],
        [msg('total-paid'), money(r.total_paid)], [msg('apr'), r.apr], [msg('effective'), r.effective_annual_rate]]));
      var rows = r.rows.map(function (x) { return [String(x.period), yuan(x.payment), yuan(x.principal), yuan(x.interest), yuan(x.fee), yuan(x.balance)]; });
      var det = el('details', rows.length <= 24 ? { open: '' } : {}, [el('summary', {}, [msg('plan', { n: rows.length })])]);
      det.append(table('schedule', [msg('period'), msg('payment'), msg('principal'), msg('interest'), msg('fee'), msg('balance')], rows, 1, msg('plan', { n: rows.length })));
      out.append(det);
    } else {
      var head = ['option', 'option-total', 'option-cost', 'option-first', 'option-apr', 'option-saving'].map(function (k) { return msg(k); });
      out.append(table('options', head, r.options.map(function (o) {
        return [o.label, yuan(o.total_paid), yuan(o.cost), yuan(o.first_payment), o.apr || msg('none'), yuan(o.saving)];
      }), 1));
    }
    out.append(el('p', { class: 'note' }, [msg('note')]));
  }
  function run(p) {
    draw(window.lendguideCalc.compute(input(p)));
    share.href = 'index.html?' + p.toString();
    share.hidden = false;
  }
  form.addEventListener('change', refresh);
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var p = params();
    history.replaceState(null, '', '?' + p.toString());
    run(p);
    out.scrollIntoView();
  });
  var start = new URLSearchParams(location.search);
  fill(start);
  refresh();
  if (start.get('type')) run(start);
})();
