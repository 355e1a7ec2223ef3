// lendguide calculator: the engine (src/engine/) in the browser, to the cent.
//
// Owns: a mirror of rust_decimal's arithmetic on BigInt (96-bit mantissa, scale
// 0..28, the same rounding when a product, sum or quotient does not fit), the
// rate and amount spellings, example validation and the three example types,
// returning exactly what `lendguide calc --json` prints, or
// {error: {code, message}} with the first error the Rust side finds.
// No float ever touches money or rates: a JS number is read through String(n).
// tests/it/calculator.rs proves parity on thousands of generated inputs.
(function (root) {
  'use strict';
  var B = BigInt;
  var MAX96 = B(2) ** B(96);
  var POW = [B(1)];
  function p10(k) { while (POW.length <= k) POW.push(POW[POW.length - 1] * B(10)); return POW[k]; }
  var OVERFLOW = { overflow: true };

  // ---- Decimal: {m: BigInt (signed), s: scale} -------------------------------
  function dec(m, s) { return { m: m, s: s }; }
  var ZERO = dec(B(0), 0), ONE = dec(B(1), 0), TWO = dec(B(2), 0), HUNDRED = dec(B(100), 0);
  function int(n) { return dec(B(n), 0); }
  function abs(x) { return x < 0 ? -x : x; }
  function isZero(d) { return d.m === B(0); }
  function neg(d) { return dec(-d.m, d.s); }

  // Half-even division of a non-negative BigInt by 10^k, `sticky` meaning an
  // earlier non-zero remainder (rust_decimal's rescale rounding).
  function halfEven(x, k) {
    var p = p10(k), q = x / p, r = x % p, h = p / B(2);
    if (r > h || (r === h && (q & B(1)) === B(1))) q += B(1);
    return q;
  }
  // Buf24::rescale: the fewest digits dropped so the mantissa fits 96 bits and
  // the scale 28; rounding half-even. Throws OVERFLOW when it cannot fit.
  function fit(x, s) {
    var negative = x < 0, a = abs(x);
    if (a < MAX96 && s <= 28) return dec(x, s);
    var k = Math.max(0, s - 28);
    var digits = a.toString().length;
    if (digits > 29 && digits - 29 > k) k = digits - 29;
    while (a / p10(k) >= MAX96) k++;
    if (k > s) throw OVERFLOW;
    var q = halfEven(a, k);
    if (q >= MAX96) { k++; if (k > s) throw OVERFLOW; q = halfEven(q, 1); }
    return dec(negative ? -q : q, s - k);
  }
  function add(a, b) {
    if (isZero(a)) return b;
    if (isZero(b)) return a;
    var s = Math.max(a.s, b.s);
    return fit(a.m * p10(s - a.s) + b.m * p10(s - b.s), s);
  }
  function sub(a, b) { return isZero(b) ? a : add(a, neg(b)); }
  function mul(a, b) {
    if (isZero(a) || isZero(b)) return ZERO;
    var s = a.s + b.s;
    var small = abs(a.m) < B(4294967296) && abs(b.m) < B(4294967296);
    if (small && s > 47) return ZERO;
    return fit(a.m * b.m, s);
  }
  // div_impl: long division that keeps scaling while the quotient fits,
  // rounds the last digit half-even, then strips trailing zeros the way
  // `unscale` does (not always all of them).
  // Buf12::find_scale: how many digits the quotient can grow by. Note that a
  // quotient that takes 9 more digits does so whatever the (negative) scale.
  function findScale(q, s) {
    if (q * p10(1) >= MAX96) return s < 0 ? null : 0;
    if (s <= 19 && q * p10(9) < MAX96) return 9;
    var x = 1;
    for (var k = s > 19 ? 28 - s : 8; k > 1; k--) if (q * p10(k) < MAX96) { x = k; break; }
    return x + s < 0 ? null : x;
  }
  function unscaleOverflow(q, s, sticky) {
    s -= 1;
    if (s < 0) throw OVERFLOW;
    var n = q / B(10), r = q % B(10);
    if (r > B(5) || (r === B(5) && (sticky || (n & B(1)) === B(1)))) n += B(1);
    return [n, s];
  }
  function div(a, b) {
    if (isZero(b)) throw OVERFLOW;
    if (isZero(a)) return ZERO;
    var negative = (a.m < 0) !== (b.m < 0);
    var A = abs(a.m), D = abs(b.m), s = a.s - b.s;
    var q = A / D, r = A % D, unscale = false, t;
    if (r !== B(0) || s < 0) {
      for (;;) {
        var x;
        if (r === B(0)) {
          if (s >= 0) break;
          x = Math.min(9, -s);
        } else {
          unscale = true;
          var stop = s === 28;
          if (!stop) { x = findScale(q, s); if (x === null) throw OVERFLOW; stop = x === 0; }
          if (stop) {
            var r2 = r * B(2);
            if (r2 > D || (r2 === D && (q & B(1)) === B(1))) {
              q += B(1);
              if (q >= MAX96) { t = unscaleOverflow(q, s, true); q = t[0]; s = t[1]; }
            }
            break;
          }
        }
        s += x;
        q *= p10(x);
        if (q >= MAX96) throw OVERFLOW;
        r *= p10(x);
        q += r / D;
        r %= D;
        if (q >= MAX96) { t = unscaleOverflow(q, s, r !== B(0)); q = t[0]; s = t[1]; break; }
      }
    }
    if (unscale) {
      var low = B(0xffffffff);
      while ((q & low) === B(0) && s >= 8 && q % B(100000000) === B(0)) { q /= B(100000000); s -= 8; }
      if ((q & B(15)) === B(0) && s >= 4 && q % B(10000) === B(0)) { q /= B(10000); s -= 4; }
      if ((q & B(3)) === B(0) && s >= 2 && q % B(100) === B(0)) { q /= B(100); s -= 2; }
      if ((q & B(1)) === B(0) && s >= 1 && q % B(10) === B(0)) { q /= B(10); s -= 1; }
    }
    return dec(negative ? -q : q, s);
  }
  function cmp(a, b) {
    var s = Math.max(a.s, b.s), x = a.m * p10(s - a.s), y = b.m * p10(s - b.s);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  function min(a, b) { return cmp(a, b) <= 0 ? a : b; }
  function powi(base, n) { var acc = ONE; for (var i = 0; i < n; i++) acc = mul(acc, base); return acc; }
  // round_dp_with_strategy(dp, MidpointAwayFromZero)
  function roundHalfUp(d, dp) {
    if (d.s <= dp) return d;
    if (isZero(d)) return dec(B(0), dp);
    var p = p10(d.s - dp), a = abs(d.m), q = a / p;
    if ((a % p) * B(2) >= p) q += B(1);
    return dec(d.m < 0 ? -q : q, dp);
  }
  function roundMoney(d) { return roundHalfUp(d, 2); }
  function show(d) { // Display: every digit of the scale, no exponent
    var digits = abs(d.m).toString();
    if (d.s > 0) {
      while (digits.length <= d.s) digits = '0' + digits;
      digits = digits.slice(0, digits.length - d.s) + '.' + digits.slice(digits.length - d.s);
    }
    return (d.m < 0 ? '-' : '') + digits;
  }
  function normalize(d) {
    var m = d.m, s = d.s;
    while (s > 0 && m % B(10) === B(0)) { m /= B(10); s--; }
    return dec(m, s);
  }
  function fixed2(d) { // format!("{:.2}") of a value already at ≤ 2 places
    var r = roundMoney(d);
    if (isZero(r)) r = ZERO;
    return show(dec(r.m * p10(2 - r.s), 2));
  }
  // from_str_exact on text already checked to be digits with an optional point.
  function exact(text) {
    var i = text.indexOf('.'), s = i < 0 ? 0 : text.length - i - 1;
    var m = B(i < 0 ? text : text.slice(0, i) + text.slice(i + 1));
    return m >= MAX96 || s > 28 ? null : dec(m, s);
  }

  // ---- errors ----------------------------------------------------------------
  function Fail(code, message) { this.code = code; this.message = message; }
  function InputError(message) { this.input = true; this.message = message; }
  function invalid(field, message) { return { field: field, message: message }; }

  // ---- money -----------------------------------------------------------------
  var LIMIT = int(1000000000000);
  function parseAmount(input) {
    var text = input.trim();
    var bad = function (why) { return new InputError('cannot read `' + text + '` as an amount of yuan: ' + why); };
    if (text === '') throw bad('it is empty');
    if (text[0] === '-') throw bad('amounts cannot be negative');
    var dot = text.indexOf('.'), intPart = dot < 0 ? text : text.slice(0, dot);
    var groups = intPart.split(',');
    var ok = groups[0] !== '' && (groups.length === 1 || groups[0].length <= 3) &&
      groups.slice(1).every(function (g) { return g.length === 3; }) &&
      groups.every(function (g) { return /^[0-9]*$/.test(g); });
    if (!ok) throw bad('use digits, optionally grouped by commas in threes (`10,000`)');
    var plain = groups.join('');
    if (dot >= 0) {
      var frac = text.slice(dot + 1);
      if (frac === '' || !/^[0-9]+$/.test(frac)) throw bad('digits must follow the decimal point');
      if (frac.length > 2) throw bad('an amount has at most 2 decimals (分)');
      plain += '.' + frac;
    }
    var amount = exact(plain);
    if (amount === null || cmp(amount, LIMIT) >= 0) throw new InputError('amount `' + text + '` must be less than 1,000,000,000,000');
    return amount;
  }
  function parseMoney(input) {
    var a = parseAmount(input);
    if (isZero(a)) throw new InputError('amount `' + input.trim() + '` must be greater than 0');
    return a;
  }
  function checkAmount(field, v, allowZero) {
    var ok = allowZero ? v.m >= 0 : v.m > 0;
    if (!ok) throw invalid(field, 'amount ' + show(v) + ' must be ' + (allowZero ? '0 or more' : 'greater than 0'));
    if (cmp(roundMoney(v), v) !== 0) throw invalid(field, 'amount ' + show(v) + ' has more than 2 decimals');
    if (cmp(v, LIMIT) >= 0) throw invalid(field, 'amount ' + show(v) + ' must be less than 1,000,000,000,000');
  }

  // ---- rates -----------------------------------------------------------------
  var MAX_ANNUAL = int(10);
  function pct(fraction, places) {
    try { return show(normalize(roundHalfUp(mul(fraction, HUNDRED), places))) + '%'; } catch (e) { return show(fraction) + ' (as a fraction)'; }
  }
  function tooHigh(annual) { return new InputError('rate ' + pct(annual, 4) + ' a year is above the 1000% a year this tool accepts; check the unit'); }
  function fromAnnual(annual, dc) {
    if (annual.m < 0) throw new InputError('a rate cannot be negative (' + pct(annual, 6) + ')');
    if (cmp(annual, MAX_ANNUAL) > 0) throw tooHigh(annual);
    return { annual: annual, daily: div(annual, int(dc)), monthly: div(annual, int(12)), dc: dc };
  }
  function zeroRate(dc) { return { annual: ZERO, daily: ZERO, monthly: ZERO, dc: dc }; }
  function scaled(f, by, wording) {
    var a; try { a = mul(f, int(by)); } catch (e) { throw tooHigh(f); }
    return a;
  }
  var PREFIXES = [['年化利率', 'A'], ['年化', 'A'], ['年利率', 'A'], ['月利率', 'M'], ['日利率', 'D']];
  function plainNumber(text) {
    var i = text.indexOf('.'), ip = i < 0 ? text : text.slice(0, i), fp = i < 0 ? null : text.slice(i + 1);
    if (!/^[0-9]+$/.test(ip) || (fp !== null && !/^[0-9]+$/.test(fp))) return null;
    return exact(text);
  }
  function chineseNumber(text) {
    var digit = function (c) {
      var p = '零一二三四五六七八九'.indexOf(c);
      return p >= 0 ? p : c === '〇' ? 0 : c === '两' ? 2 : null;
    };
    var i = text.indexOf('点'), ip = Array.from(i < 0 ? text : text.slice(0, i)), fp = i < 0 ? null : text.slice(i + 1);
    var whole, d0, d1;
    if (ip.length === 1 && ip[0] !== '十') whole = digit(ip[0]);
    else if (ip.length === 1) whole = 10;
    else if (ip.length === 2 && ip[0] === '十') { d1 = digit(ip[1]); whole = d1 === null ? null : 10 + d1; }
    else if (ip.length === 2 && ip[1] === '十') { d0 = digit(ip[0]); whole = d0 === null ? null : d0 * 10; }
    else if (ip.length === 3 && ip[1] === '十') { d0 = digit(ip[0]); d1 = digit(ip[2]); whole = d0 === null || d1 === null ? null : d0 * 10 + d1; }
    else return null;
    if (whole === null) return null;
    var written = String(whole);
    if (fp !== null) {
      if (fp === '') return null;
      written += '.';
      var cs = Array.from(fp);
      for (var k = 0; k < cs.length; k++) { var d = digit(cs[k]); if (d === null) return null; written += d; }
    }
    return exact(written);
  }
  function scaleDown(value, by) {
    try { return div(value, int(by)); } catch (e) { throw '`' + show(value) + '` has too many digits'; }
  }
  function parseFraction(text) { // throws a reason string
    if (text === '') throw 'there is no number';
    if (text[0] === '-' || text[0] === '负') throw 'it cannot be negative';
    var words = [['万分之', 10000], ['千分之', 1000], ['百分之', 100]];
    for (var i = 0; i < words.length; i++) {
      if (text.indexOf(words[i][0]) === 0) {
        var rest = text.slice(words[i][0].length);
        var v = plainNumber(rest);
        if (v === null) v = chineseNumber(rest);
        if (v === null) throw '`' + rest + '` is not a number';
        return scaleDown(v, words[i][1]);
      }
    }
    var signs = [['%', 100], ['％', 100], ['‰', 1000], ['‱', 10000]];
    for (var j = 0; j < signs.length; j++) {
      var sg = signs[j][0];
      if (text.length >= sg.length && text.slice(text.length - sg.length) === sg) {
        var r = text.slice(0, text.length - sg.length);
        var w = plainNumber(r.replace(/\s+$/, ''));
        if (w === null) throw '`' + r + '` is not a plain number';
        return scaleDown(w, signs[j][1]);
      }
    }
    var value = plainNumber(text);
    if (value === null) throw 'it is not one of the accepted forms';
    if (cmp(value, ONE) >= 0) throw 'a bare number is a fraction, so `' + text + '` would mean ' + pct(value, 4) + '; did you mean `' + text + '%`?';
    return value;
  }
  function parseRate(input) {
    var text = input.trim(), basis = 'U', rest = text;
    for (var i = 0; i < PREFIXES.length; i++) {
      if (text.indexOf(PREFIXES[i][0]) === 0) { basis = PREFIXES[i][1]; rest = text.slice(PREFIXES[i][0].length); break; }
    }
    try { return { basis: basis, fraction: parseFraction(rest.trim()) }; } catch (why) {
      if (why === OVERFLOW) throw why;
      throw new InputError('cannot read `' + text + '` as a rate: ' + why);
    }
  }
  function parsePercent(input) {
    var text = input.trim();
    try { return parseFraction(text); } catch (why) {
      throw new InputError('cannot read `' + text + '` as a percentage: ' + why);
    }
  }
  var KEYS = { A: 'annual_rate', D: 'daily_rate', F: 'monthly_fee_rate' };
  function intoRate(p, field, dc) { // field: A (annual_rate), D (daily_rate), F (monthly_fee_rate)
    var b = p.basis;
    if (field === 'A' && (b === 'A' || b === 'U')) return fromAnnual(p.fraction, dc);
    if ((field === 'A' || field === 'F') && (b === 'M' || (field === 'F' && b === 'U'))) return fromAnnual(scaled(p.fraction, 12), dc);
    if (field === 'D' && (b === 'D' || b === 'U')) return fromAnnual(scaled(p.fraction, dc), dc);
    var worded = { A: 'an annual rate (年化/年利率)', M: 'a monthly rate (月利率)', D: 'a daily rate (日利率)' }[b];
    throw new InputError('`' + KEYS[field] + '` is given ' + worded);
  }

  // ---- overdue ---------------------------------------------------------------
  function checkShare(field, v, max, what, range) {
    if (v.m < 0 || cmp(v, max) > 0) throw invalid(field, what + ' must be ' + range + ', not ' + pct(v, 6));
  }
  function penaltyAnnual(p, rate) {
    var annual;
    if (p.kind === 'daily') annual = mul(p.value, int(rate.dc));
    else if (p.kind === 'annual') annual = p.value;
    else {
      checkShare('penalty', p.value, MAX_ANNUAL, 'the markup', 'between 0% and 1000% of the contract rate');
      annual = mul(rate.annual, p.value);
    }
    checkShare('penalty', annual, MAX_ANNUAL, 'the penalty rate', 'between 0% and 1000% a year');
    return annual;
  }
  function overdue(x) {
    checkAmount('principal', x.principal, false);
    checkAmount('unpaid_interest', x.unpaid, true);
    var dc = int(x.rate.dc), annual = x.rate.annual, pa = penaltyAnnual(x.penalty, x.rate), days = int(x.days);
    var accrue = function (amount, a) { return roundMoney(div(mul(mul(amount, a), days), dc)); };
    var interest = accrue(x.principal, annual), penalty = accrue(x.principal, pa);
    var compound = x.compound ? accrue(x.unpaid, add(annual, pa)) : ZERO;
    var charges = add(add(interest, penalty), compound);
    return { interest: interest, penalty: penalty, compound: compound, total_charges: charges,
      total_due: roundMoney(add(add(x.principal, x.unpaid), charges)) };
  }

  // ---- schedule and IRR -----------------------------------------------------------
  var TOLERANCE = dec(B(1), 16);
  function presentValue(payments, rate) {
    var discount = div(ONE, add(ONE, rate)), factor = ONE, value = ZERO;
    for (var i = 0; i < payments.length; i++) { factor = mul(factor, discount); value = add(value, mul(payments[i], factor)); }
    return value;
  }
  function monthlyIrr(cash, payments) {
    if (cash.m <= 0) throw invalid('payments', 'the cash received must be greater than 0');
    var total = ZERO;
    for (var i = 0; i < payments.length; i++) total = add(total, payments[i]);
    var c = cmp(total, cash);
    if (c === 0) return ZERO;
    if (c < 0) throw invalid('payments', 'the payments add up to less than the cash received');
    var low = ZERO, high = ONE, widened = 0;
    while (cmp(presentValue(payments, high), cash) > 0) {
      low = high; high = mul(high, TWO);
      if (++widened > 120) throw OVERFLOW;
    }
    for (var step = 0; step < 400; step++) {
      var mid = div(add(low, high), TWO);
      if (cmp(presentValue(payments, mid), cash) > 0) low = mid; else high = mid;
      if (cmp(sub(high, low), mul(high, TOLERANCE)) <= 0) break;
    }
    return div(add(low, high), TWO);
  }
  function costRates(irr) {
    var apr = mul(mul(irr, int(12)), HUNDRED);
    var eff = mul(sub(powi(add(ONE, irr), 12), ONE), HUNDRED);
    return { apr: roundMoney(apr), effective: roundMoney(eff) };
  }
  function levelPayment(P, rate, n) {
    var i = rate.monthly, f;
    try { f = powi(add(ONE, i), n); } catch (e) { if (e !== OVERFLOW) throw e; f = null; }
    var ratio;
    if (f === null) ratio = ONE;
    else if (cmp(f, ONE) > 0) ratio = div(f, sub(f, ONE));
    else return roundMoney(div(P, int(n)));
    return roundMoney(mul(mul(P, i), ratio));
  }
  function schedule(x) {
    checkAmount('principal', x.principal, false);
    checkAmount('upfront_fee', x.upfront, true);
    if (cmp(x.upfront, x.principal) >= 0) throw invalid('upfront_fee', 'the upfront fee ' + fixed2(x.upfront) + ' leaves no cash from the principal ' + fixed2(x.principal));
    if (x.months < 1 || x.months > 600) throw invalid('months', 'months must be between 1 and 600, not ' + x.months);
    checkShare('monthly_fee_rate', x.fee, div(MAX_ANNUAL, int(12)), 'the monthly fee rate', 'between 0% and 1000% a year (83.33% a month)');
    var P = x.principal, n = x.months, N = int(n), annual = x.rate.annual, twelve = int(12);
    var fee = roundMoney(mul(P, x.fee));
    var level = x.method === 'equal-installment' ? levelPayment(P, x.rate, n) : null;
    var part = roundMoney(div(P, N));
    var rows = [], balance = P;
    for (var k = 1; k <= n; k++) {
      var last = k === n, pk, ik;
      if (x.method === 'bullet') {
        pk = last ? balance : ZERO;
        ik = last ? roundMoney(div(mul(mul(P, annual), N), twelve)) : ZERO;
      } else {
        ik = roundMoney(div(mul(balance, annual), twelve));
        var due = last ? balance : x.method === 'equal-installment' ? sub(level, ik) : x.method === 'equal-principal' ? part : ZERO;
        pk = min(due, balance);
      }
      balance = sub(balance, pk);
      rows.push({ period: k, payment: add(add(pk, ik), fee), principal: pk, interest: ik, fee: fee, balance: balance });
    }
    var ti = ZERO, tf = ZERO, tp = ZERO, pays = [];
    rows.forEach(function (r) { ti = add(ti, r.interest); tf = add(tf, r.fee); pays.push(r.payment); tp = add(tp, r.payment); });
    var rates = costRates(monthlyIrr(sub(P, x.upfront), pays));
    return { rows: rows, total_interest: ti, total_fees: add(tf, x.upfront), total_paid: add(tp, x.upfront), apr: rates.apr, effective: rates.effective };
  }

  // ---- negotiation ------------------------------------------------------------------
  function waived(sit, w) {
    checkShare('waive_interest', w.interest, ONE, 'waive_interest', 'between 0% and 100%');
    checkShare('waive_penalty', w.penalty, ONE, 'waive_penalty', 'between 0% and 100%');
    var kept = function (a, share) { return roundMoney(mul(a, sub(ONE, share))); };
    return add(add(sit.principal, kept(sit.unpaid, w.interest)), kept(sit.accrued, w.penalty));
  }
  function evaluate(sit, o) {
    if (o.kind === 'stay-overdue') {
      var od = overdue({ principal: sit.principal, rate: sit.rate, days: o.days, penalty: sit.penalty, unpaid: sit.unpaid, compound: false });
      add(add(sit.principal, sit.unpaid), sit.accrued);
      return atOnce(sit, add(od.total_due, sit.accrued));
    }
    if (o.kind === 'settle') return atOnce(sit, waived(sit, o.waivers));
    var balance = waived(sit, o.waivers);
    var s = schedule({ principal: balance, rate: o.rate, months: o.months, method: o.method, fee: o.fee, upfront: ZERO });
    return { total_paid: s.total_paid, cost: sub(s.total_paid, sit.principal), first_payment: s.rows[0].payment, apr: s.apr };
  }
  function atOnce(sit, total) { return { total_paid: total, cost: sub(total, sit.principal), first_payment: total, apr: null }; }

  // ---- validation: the raw shape (serde), then the checks of validate/examples ----
  var EXAMPLE_KEYS = ['id', 'title', 'type', 'note', 'principal', 'annual_rate', 'daily_rate', 'day_count', 'days', 'penalty', 'unpaid_interest', 'compound', 'months', 'method', 'monthly_fee_rate', 'upfront_fee', 'situation', 'options', 'expect'];
  var SITUATION_KEYS = ['principal', 'unpaid_interest', 'penalty_accrued', 'annual_rate', 'daily_rate', 'day_count', 'penalty'];
  var OPTION_KEYS_ALL = ['kind', 'label', 'days', 'months', 'method', 'annual_rate', 'monthly_fee_rate', 'waive_penalty', 'waive_interest'];
  var PENALTY_KEYS = ['daily_rate', 'annual_rate', 'markup'];
  var NESTED = { penalty: 'penalty', situation: 'situation', options: 'options', expect: 'expect' };
  function isMap(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function scalar(v) {
    if (isMap(v) || Array.isArray(v)) throw new Fail('wrong-type', 'expected string scalar');
    return String(v);
  }
  function mapping(v, keys, required) {
    if (!isMap(v)) throw new Fail('bad-yaml', 'expected mapping start');
    var out = {};
    Object.keys(v).forEach(function (k) {
      if (keys.indexOf(k) < 0) throw new Fail('unknown-key', 'unknown key `' + k + '`');
      var value = v[k];
      if (value === null || value === undefined) {
        if (required.indexOf(k) >= 0) throw new Fail('bad-yaml', 'cannot deserialize null into string; use Option<String>');
        return;
      }
      if (keys === EXAMPLE_KEYS && NESTED[k] === 'penalty') out[k] = mapping(value, PENALTY_KEYS, []);
      else if (keys === SITUATION_KEYS && k === 'penalty') out[k] = mapping(value, PENALTY_KEYS, []);
      else if (keys === EXAMPLE_KEYS && k === 'situation') out[k] = mapping(value, SITUATION_KEYS, ['principal']);
      else if (keys === EXAMPLE_KEYS && k === 'options') {
        if (!Array.isArray(value)) throw new Fail('wrong-type', 'expected sequence start');
        out[k] = value.map(function (o) { return mapping(o, OPTION_KEYS_ALL, ['kind']); });
      } else if (keys === EXAMPLE_KEYS && k === 'expect') {
        if (!isMap(value)) throw new Fail('bad-yaml', 'expected mapping start');
        var e = {};
        Object.keys(value).forEach(function (n) { e[n] = scalar(value[n]); });
        out[k] = e;
      } else out[k] = scalar(value);
    });
    required.forEach(function (k) { if (!(k in out)) throw new Fail('missing-key', 'missing required key `' + k + '`'); });
    return out;
  }

  var TYPES = ['overdue', 'schedule', 'negotiation'];
  var METHODS = ['equal-installment', 'equal-principal', 'interest-first', 'bullet'];
  var KINDS = ['stay-overdue', 'settle', 'installment', 'extension'];
  var REFUSED = {
    overdue: ['months', 'method', 'monthly_fee_rate', 'upfront_fee', 'situation', 'options'],
    schedule: ['days', 'unpaid_interest', 'compound', 'daily_rate', 'penalty', 'situation', 'options'],
    negotiation: ['principal', 'annual_rate', 'daily_rate', 'days', 'unpaid_interest', 'compound', 'months', 'method', 'monthly_fee_rate', 'upfront_fee', 'day_count', 'penalty']
  };
  var OPTION_KEYS = {
    'stay-overdue': ['days'], settle: ['waive_penalty', 'waive_interest'],
    installment: ['months', 'method', 'annual_rate', 'monthly_fee_rate', 'waive_penalty', 'waive_interest'],
    extension: ['months', 'annual_rate', 'waive_penalty', 'waive_interest']
  };
  var OPTION_ORDER = ['days', 'months', 'method', 'annual_rate', 'monthly_fee_rate', 'waive_penalty', 'waive_interest'];

  function reported(code, f) {
    try { return f(); } catch (e) { if (e instanceof InputError) throw new Fail(code, e.message); throw e; }
  }
  function dayCount(v) {
    if (v === undefined) return 360;
    var t = v.trim();
    var n = /^\+?[0-9]+$/.test(t) ? Number(t.replace('+', '')) : NaN;
    if (n === 360 || n === 365) return n;
    throw new Fail('bad-value', 'day_count must be 360 or 365, not `' + v + '`');
  }
  function rate(v, field, dc) { return reported('bad-rate', function () { return intoRate(parseRate(v), field, dc); }); }
  function contractRate(annual, daily, dc) {
    if (annual !== undefined && daily !== undefined) throw new Fail('conflicting-keys', 'give either `annual_rate` or `daily_rate`, not both');
    if (annual !== undefined) return rate(annual, 'A', dc);
    if (daily !== undefined) return rate(daily, 'D', dc);
    throw new Fail('missing-key', 'this example needs a rate: `annual_rate` or `daily_rate`');
  }
  function feeRate(v) { return v === undefined ? ZERO : rate(v, 'F', 360).monthly; }
  function money(v) { return reported('bad-amount', function () { return parseMoney(v); }); }
  function requiredMoney(v, key) {
    if (v === undefined) throw new Fail('missing-key', 'this example needs `' + key + '`');
    return money(v);
  }
  function optionalMoney(v) { return v === undefined ? ZERO : reported('bad-amount', function () { return parseAmount(v); }); }
  function count(v, key, lo, hi) {
    if (v === undefined) throw new Fail('missing-key', 'this example needs `' + key + '`');
    var t = v.trim(), n = /^\+?[0-9]+$/.test(t) ? Number(t.replace('+', '')) : NaN;
    if (n >= lo && n <= hi) return n;
    throw new Fail('out-of-range', '`' + key + '` must be a whole number from ' + lo + ' to ' + hi + ', not `' + v + '`');
  }
  function oneOf(v, what, names) {
    var t = v.trim();
    if (names.indexOf(t) < 0) throw new Fail('bad-value', 'unknown ' + what + ' `' + t + '`');
    return t;
  }
  function method(v) { return v === undefined ? 'equal-installment' : oneOf(v, 'repayment method', METHODS); }
  function penalty(p, dc) {
    if (p === undefined) throw new Fail('missing-key', 'this example needs `penalty:`');
    var given = PENALTY_KEYS.filter(function (k) { return p[k] !== undefined; });
    if (given.length !== 1) throw new Fail('bad-value', '`penalty` takes exactly one of `daily_rate`, `annual_rate` or `markup`');
    if (given[0] === 'daily_rate') return { kind: 'daily', value: rate(p.daily_rate, 'D', dc).daily };
    if (given[0] === 'annual_rate') return { kind: 'annual', value: rate(p.annual_rate, 'A', dc).annual };
    return { kind: 'markup', value: reported('bad-rate', function () { return parsePercent(p.markup); }) };
  }
  function share(v) {
    if (v === undefined) return ZERO;
    var f = reported('bad-rate', function () { return parsePercent(v); });
    if (f.m >= 0 && cmp(f, ONE) <= 0) return f;
    throw new Fail('out-of-range', 'a waiver must be between 0% and 100%, not `' + v + '`');
  }
  function flag(v) {
    var t = v === undefined ? 'false' : v.trim();
    if (t === 'false' || t === 'true') return t === 'true';
    throw new Fail('bad-value', '`compound` must be true or false, not `' + t + '`');
  }
  function isSlug(s) { return s !== '' && s.length <= 64 && s[0] !== '-' && s[s.length - 1] !== '-' && /^[a-z0-9-]+$/.test(s); }
  function label(v, o) {
    var t = v === undefined ? '' : v.trim();
    if (t !== '') return t;
    return { 'stay-overdue': '继续逾期' + o.days + '天', settle: '一次性结清', installment: '分' + o.months + '期还款', extension: '展期' + o.months + '个月' }[o.kind];
  }
  function choice(raw, dc) {
    var kind = oneOf(raw.kind, 'option kind', KINDS), allowed = OPTION_KEYS[kind];
    OPTION_ORDER.forEach(function (k) {
      if (raw[k] !== undefined && allowed.indexOf(k) < 0) throw new Fail('wrong-key', '`' + k + '` does not apply to a `' + kind + '` option');
    });
    var o = { kind: kind }, waive = function () { o.waivers = { penalty: share(raw.waive_penalty), interest: share(raw.waive_interest) }; };
    if (kind === 'stay-overdue') o.days = count(raw.days, 'days', 1, 36500);
    else if (kind === 'settle') waive();
    else if (kind === 'installment') {
      o.months = count(raw.months, 'months', 1, 600);
      o.method = method(raw.method);
      o.fee = ZERO;
      if (raw.annual_rate !== undefined && raw.monthly_fee_rate !== undefined) throw new Fail('conflicting-keys', 'give either `annual_rate` or `monthly_fee_rate`, not both');
      if (raw.annual_rate !== undefined) o.rate = contractRate(raw.annual_rate, undefined, dc);
      else if (raw.monthly_fee_rate !== undefined) { o.fee = feeRate(raw.monthly_fee_rate); o.rate = zeroRate(dc); } else o.rate = zeroRate(dc);
      waive();
    } else {
      o.months = count(raw.months, 'months', 1, 600);
      o.rate = contractRate(raw.annual_rate, undefined, dc);
      o.method = 'interest-first';
      o.fee = ZERO;
      waive();
    }
    o.label = label(raw.label, o);
    return o;
  }
  var SCALARS = ['principal', 'annual_rate', 'daily_rate', 'days', 'unpaid_interest', 'months', 'monthly_fee_rate', 'upfront_fee'];
  function cited(raw) { // `@policy` needs a lender; the calculator has none
    var seen = [];
    var visit = function (v) { if (v !== undefined && v.trim()[0] === '@') seen.push(v.trim().slice(1)); };
    var pen = function (p) { if (p) PENALTY_KEYS.forEach(function (k) { visit(p[k]); }); };
    SCALARS.forEach(function (k) { visit(raw[k]); });
    pen(raw.penalty);
    if (raw.situation) {
      ['principal', 'unpaid_interest', 'penalty_accrued', 'annual_rate', 'daily_rate'].forEach(function (k) { visit(raw.situation[k]); });
      pen(raw.situation.penalty);
    }
    (raw.options || []).forEach(function (o) { ['days', 'months', 'annual_rate', 'monthly_fee_rate', 'waive_penalty', 'waive_interest'].forEach(function (k) { visit(o[k]); }); });
    if (seen.length) throw new Fail('unknown-policy', 'no policy `' + seen[0] + '` with a figure for this guide\'s lender');
  }
  function refuse(raw, type) {
    REFUSED[type].forEach(function (key) {
      var present = key === 'options' ? raw.options !== undefined && raw.options.length > 0 : raw[key] !== undefined;
      if (!present) return;
      var msg;
      if (key === 'penalty' && type === 'negotiation') msg = '`penalty` of a negotiation example belongs under `situation`';
      else if (key === 'penalty') msg = '`penalty` does not apply to a ' + type + ' example';
      else if (key === 'situation' || key === 'options') msg = '`' + key + '` only applies to a negotiation example, not ' + type;
      else msg = '`' + key + '` does not apply to ' + (type === 'overdue' ? 'an' : 'a') + ' ' + type + ' example';
      throw new Fail('wrong-key', msg);
    });
  }
  var OUTPUTS = {
    overdue: ['interest', 'penalty', 'compound', 'total_charges', 'total_due'],
    schedule: ['payment', 'last_payment', 'total_interest', 'total_fees', 'total_paid', 'apr', 'effective_annual_rate']
  };
  function validate(raw) {
    cited(raw);
    var id = raw.id.trim();
    if (!isSlug(id)) throw new Fail('bad-slug', 'example id `' + id + '` is not a valid slug');
    if (raw.title.trim() === '') throw new Fail('empty', 'example title is empty');
    var type = oneOf(raw.type, 'example type', TYPES), input = { id: id, type: type }, dc;
    refuse(raw, type);
    if (type === 'overdue') {
      dc = dayCount(raw.day_count);
      input.rate = contractRate(raw.annual_rate, raw.daily_rate, dc);
      input.principal = requiredMoney(raw.principal, 'principal');
      input.days = count(raw.days, 'days', 1, 36500);
      input.penalty = penalty(raw.penalty, dc);
      input.unpaid = optionalMoney(raw.unpaid_interest);
      input.compound = flag(raw.compound);
    } else if (type === 'schedule') {
      dc = dayCount(raw.day_count);
      input.rate = raw.annual_rate === undefined ? zeroRate(dc) : rate(raw.annual_rate, 'A', dc);
      input.principal = requiredMoney(raw.principal, 'principal');
      input.months = count(raw.months, 'months', 1, 600);
      input.method = method(raw.method);
      input.fee = feeRate(raw.monthly_fee_rate);
      input.upfront = optionalMoney(raw.upfront_fee);
    } else {
      var s = raw.situation;
      if (s === undefined) throw new Fail('missing-key', 'a negotiation example needs `situation:`');
      dc = dayCount(s.day_count);
      input.situation = {
        rate: contractRate(s.annual_rate, s.daily_rate, dc), principal: money(s.principal),
        unpaid: optionalMoney(s.unpaid_interest), accrued: optionalMoney(s.penalty_accrued), penalty: penalty(s.penalty, dc)
      };
      if (!raw.options || !raw.options.length) throw new Fail('missing-key', 'a negotiation example needs `options:`');
      input.options = raw.options.map(function (o) { return choice(o, dc); });
    }
    if (raw.expect) {
      var names = type === 'negotiation' ? [] : OUTPUTS[type];
      if (type === 'negotiation') input.options.forEach(function (o, i) { ['total_paid', 'cost', 'first_payment', 'apr', 'saving'].forEach(function (f) { names.push('options.' + (i + 1) + '.' + f); }); });
      Object.keys(raw.expect).sort().forEach(function (f) {
        if (names.indexOf(f) < 0) throw new Fail('unknown-output', '`expect` names `' + f + '`, which this example does not compute');
      });
    }
    return input;
  }

  // ---- compute and print as `calc --json` ------------------------------------------
  function run(x) {
    var out = { id: x.id, type: x.type };
    if (x.type === 'overdue') {
      var r = overdue(x);
      OUTPUTS.overdue.forEach(function (k) { out[k] = fixed2(r[k]); });
    } else if (x.type === 'schedule') {
      var s = schedule(x);
      out.rows = s.rows.map(function (r) {
        return { period: r.period, payment: fixed2(r.payment), principal: fixed2(r.principal), interest: fixed2(r.interest), fee: fixed2(r.fee), balance: fixed2(r.balance) };
      });
      out.total_interest = fixed2(s.total_interest);
      out.total_fees = fixed2(s.total_fees);
      out.total_paid = fixed2(s.total_paid);
      out.apr = fixed2(s.apr) + '%';
      out.effective_annual_rate = fixed2(s.effective) + '%';
    } else {
      var sit = x.situation;
      checkAmount('principal', sit.principal, false);
      checkAmount('unpaid_interest', sit.unpaid, true);
      checkAmount('penalty_accrued', sit.accrued, true);
      penaltyAnnual(sit.penalty, sit.rate);
      var list = x.options.map(function (o) { return evaluate(sit, o); });
      var base = list[0].total_paid;
      out.options = list.map(function (o, i) {
        return { label: x.options[i].label, total_paid: fixed2(o.total_paid), cost: fixed2(o.cost), first_payment: fixed2(o.first_payment),
          apr: o.apr === null ? null : fixed2(o.apr) + '%', saving: fixed2(sub(base, o.total_paid)) };
      });
    }
    return out;
  }
  function compute(input) {
    var x;
    try {
      x = validate(mapping(input, EXAMPLE_KEYS, ['id', 'title', 'type']));
      return run(x);
    } catch (e) {
      if (e instanceof Fail) return { error: { code: e.code, message: e.message } };
      if (e === OVERFLOW) return { error: { code: 'compute', message: 'example `' + x.id + '`: a figure in this example grew too large to compute exactly' } };
      if (e && e.field) return { error: { code: 'compute', message: 'example `' + x.id + '`: `' + e.field + '`: ' + e.message } };
      if (e instanceof InputError) return { error: { code: 'compute', message: 'example `' + x.id + '`: ' + e.message } };
      throw e;
    }
  }
  var api = { compute: compute };
  if (typeof module === 'object' && module.exports) module.exports = api;
  root.lendguideCalc = api;
})(typeof window !== 'undefined' ? window : globalThis);
