/**
 * The page's only script: decodes the timeline columns (timeline-columns.ts) and draws the
 * timeline and the concurrency chart on canvas, with hover details and drag-to-zoom.
 *
 * Why canvas and a script: 100,000 bars as SVG or DOM nodes would be slow to parse and paint;
 * on canvas each lane is drawn as bars while they fit, and as per-pixel busy shading when they
 * do not. Plain ES2020 in a string (browsers run it as it is, no build step, nothing fetched):
 * no backticks or dollar-braces inside, so it stays a raw template literal.
 * It sets `data-drawn-ms` on <html> when the charts are drawn, for the browser test to time.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var t0 = performance.now();
  var data = JSON.parse(document.getElementById('fanout-data').textContent);
  var tl = data.timeline;
  var L = tl.lanes.length;
  var n = tl.start.length;
  var FAILED = 1, RETRIED = 2, COLD = 4;
  var css = getComputedStyle(document.documentElement);
  var C = {
    ok: css.getPropertyValue('--ok').trim() || '#0072B2',
    failed: css.getPropertyValue('--failed').trim() || '#D55E00',
    retried: css.getPropertyValue('--retried').trim() || '#E69F00',
    marker: css.getPropertyValue('--marker').trim() || '#6b7280',
    limit: css.getPropertyValue('--limit').trim() || '#9a3412',
    fill: css.getPropertyValue('--conc-fill').trim() || '#a9d5f0',
    text: '#57606a', grid: '#eaeef2', band: '#f6f8fa'
  };
  var FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

  // Decode the columns (see timeline-columns.ts): lanes in order, deltas summed back.
  var start = new Float64Array(n), dur = new Float64Array(n), ids = new Float64Array(n);
  var flags = new Uint8Array(n), errorOf = new Int32Array(n), attemptOf = new Uint16Array(n);
  var laneStart = new Int32Array(L + 1), laneMaxDur = new Float64Array(L);
  var p = 0;
  for (var l = 0; l < L; l++) {
    laneStart[l] = p;
    var s = 0, id = 0;
    for (var k = 0; k < tl.laneCounts[l]; k++, p++) {
      s += tl.start[p]; id += tl.id[p];
      start[p] = s; ids[p] = id; dur[p] = tl.dur[p];
      if (dur[p] > laneMaxDur[l]) laneMaxDur[l] = dur[p];
    }
  }
  laneStart[L] = p;
  function positions(list, flag, each) {
    var at = 0;
    for (var i = 0; i < list.length; i++) { at += list[i]; flags[at] |= flag; if (each) each(at, i); }
  }
  positions(tl.failed, FAILED, function (at, i) { errorOf[at] = tl.failedError[i]; });
  positions(tl.retried, RETRIED, function (at, i) { attemptOf[at] = tl.attempt[i]; });
  positions(tl.cold, COLD);
  // Only a worker's first cold job gets a tick: its whole first invocation is cold.
  var coldTick = new Uint8Array(n);
  for (l = 0; l < L; l++) for (var j = laneStart[l]; j < laneStart[l + 1]; j++) {
    if ((flags[j] & COLD) && !(j > laneStart[l] && (flags[j - 1] & COLD))) coldTick[j] = 1;
  }
  var starts = Float64Array.from(start).sort();
  var ends = new Float64Array(n);
  for (var e = 0; e < n; e++) ends[e] = start[e] + dur[e];
  ends.sort();

  var span = Math.max(1, tl.span);
  var view = { a: 0, b: span };
  var GUTTER = 112, RIGHT = 14;

  function lowerBound(arr, lo, hi, value) {
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < value) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function upperBound(arr, lo, hi, value) {
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] <= value) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function sig(x, d) { return Number(x.toPrecision(d)).toLocaleString('en-US', { maximumFractionDigits: 6 }); }
  function fmtMs(ms) {
    if (ms === 0) return '0 s';
    if (ms < 1000) return sig(Math.max(ms, 0), 3) + ' ms';
    if (ms < 60000) return sig(ms / 1000, 3) + ' s';
    var sec = Math.round(ms / 1000);
    return Math.floor(sec / 60) + ' min ' + String(sec % 60).padStart(2, '0') + ' s';
  }
  function niceStep(range, count) {
    var raw = range / Math.max(1, count), pow = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / pow;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
  }
  function tickLabel(ms, stepMs) {
    if (stepMs >= 60000) { var sec = Math.round(ms / 1000); return Math.floor(sec / 60) + ':' + String(sec % 60).padStart(2, '0'); }
    if (stepMs >= 1000 || ms >= 10000) return sig(ms / 1000, 6) + ' s';
    return sig(ms, 6) + ' ms';
  }
  function shortLane(name) {
    var m = /\]([0-9a-f]{8,})$/.exec(name);
    if (m) return '\u2026' + m[1].slice(-8);
    return name.length > 16 ? '\u2026' + name.slice(-15) : name;
  }
  function setup(canvas, width, height) {
    var dpr = window.devicePixelRatio || 1;
    canvas.style.height = height + 'px';
    canvas.width = Math.round(width * dpr); canvas.height = Math.round(height * dpr);
    var ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = FONT;
    return ctx;
  }
  function drawTimeAxis(ctx, plotW, top, bottom) {
    var rangeMs = (view.b - view.a) * tl.unitMs;
    var stepMs = niceStep(rangeMs, Math.max(2, plotW / 110));
    var k = plotW / (view.b - view.a);
    ctx.fillStyle = C.text; ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (var ms = Math.ceil(view.a * tl.unitMs / stepMs) * stepMs; ms <= view.b * tl.unitMs + 1e-9; ms += stepMs) {
      var x = Math.round(GUTTER + (ms / tl.unitMs - view.a) * k) + 0.5;
      ctx.fillStyle = C.grid; ctx.fillRect(x - 0.5, top, 1, bottom - top);
      ctx.fillStyle = C.text; ctx.fillText(tickLabel(ms, stepMs), x, bottom + 5);
    }
  }
  function drawMarker(ctx, at, label, top, bottom, k) {
    if (at === null || at < view.a || at > view.b) return;
    var x = Math.round(GUTTER + (at - view.a) * k) + 0.5;
    ctx.save(); ctx.strokeStyle = C.marker; ctx.setLineDash([4, 3]); ctx.beginPath();
    ctx.moveTo(x, top); ctx.lineTo(x, bottom); ctx.stroke(); ctx.restore();
    if (label) { ctx.fillStyle = C.marker; ctx.textBaseline = 'top'; ctx.textAlign = x > GUTTER + 60 ? 'right' : 'left'; ctx.fillText(label, x + (ctx.textAlign === 'right' ? -4 : 4), 1); }
  }

  var tlCanvas = document.getElementById('timeline');
  var ccCanvas = document.getElementById('concurrency');
  var layout = { laneH: 0, top: 16 };
  var busy = null, failCol = null, coldCol = null, retryCol = null;

  function drawTimeline() {
    var W = tlCanvas.parentElement.clientWidth, plotW = Math.max(50, W - GUTTER - RIGHT);
    var laneH = Math.max(3, Math.min(18, Math.floor(440 / Math.max(1, L))));
    var top = layout.top, H = top + L * laneH + 22;
    layout.laneH = laneH; layout.plotW = plotW;
    var ctx = setup(tlCanvas, W, H);
    var a = view.a, b = view.b, k = plotW / (b - a);
    for (var l = 0; l < L; l += 2) { ctx.fillStyle = C.band; ctx.fillRect(GUTTER, top + l * laneH, plotW, laneH); }
    drawTimeAxis(ctx, plotW, top, top + L * laneH);
    ctx.fillStyle = C.text; ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    var every = Math.ceil(12 / laneH);
    for (l = 0; l < L; l += every) ctx.fillText(shortLane(tl.lanes[l]), GUTTER - 8, top + l * laneH + laneH / 2);

    if (!busy || busy.length !== plotW) { busy = new Float32Array(plotW); failCol = new Uint8Array(plotW); coldCol = new Uint8Array(plotW); retryCol = new Uint8Array(plotW); }
    var okPath = new Path2D(), failPath = new Path2D(), coldPath = new Path2D(), retryPath = new Path2D(), retryRects = [];
    var levels = []; for (var v = 0; v < 8; v++) levels.push(new Path2D());
    var gap = laneH > 4 ? 1 : 0, h = laneH - gap, bars = 0, dense = 0;
    for (l = 0; l < L; l++) {
      var lo = laneStart[l], hi = laneStart[l + 1], y = top + l * laneH;
      var i0 = lowerBound(start, lo, hi, a - laneMaxDur[l]), i1 = lowerBound(start, lo, hi, b);
      if (i1 - i0 > plotW / 2) {
        dense++;
        busy.fill(0); failCol.fill(0); coldCol.fill(0); retryCol.fill(0);
        for (var i = i0; i < i1; i++) {
          var s = start[i], en = s + dur[i];
          if (en < a) continue;
          var x0 = (Math.max(s, a) - a) * k, x1 = Math.max((Math.min(en, b) - a) * k, x0 + 0.2);
          var c0 = Math.min(plotW - 1, Math.floor(x0)), c1 = Math.min(plotW, Math.ceil(x1));
          for (var c = c0; c < c1; c++) busy[c] += Math.min(c + 1, x1) - Math.max(c, x0);
          if (flags[i] & FAILED) failCol[c0] = 1;
          if (coldTick[i]) coldCol[c0] = 1;
          if (flags[i] & RETRIED) retryCol[c0] = 1;
        }
        for (c = 0; c < plotW;) {
          if (busy[c] <= 0) { c++; continue; }
          var level = Math.min(7, Math.floor(Math.min(1, busy[c]) * 8)), from = c;
          while (c < plotW && busy[c] > 0 && Math.min(7, Math.floor(Math.min(1, busy[c]) * 8)) === level) c++;
          levels[level].rect(GUTTER + from, y, c - from, h);
        }
        for (c = 0; c < plotW; c++) {
          if (failCol[c]) failPath.rect(GUTTER + c, y, 1.5, h);
          if (coldCol[c] && laneH >= 6) coldPath.rect(GUTTER + c, y, 2, h);
          // Retried jobs too small to outline: a strip along the lane's foot.
          if (retryCol[c]) retryPath.rect(GUTTER + c, y + h - Math.max(2, h / 4), 1.5, Math.max(2, h / 4));
        }
      } else {
        for (i = i0; i < i1; i++) {
          if (start[i] + dur[i] < a) continue;
          var x = GUTTER + (start[i] - a) * k, w = Math.max(1, dur[i] * k);
          if (w > 3) w -= 1;
          (flags[i] & FAILED ? failPath : okPath).rect(x, y, w, h);
          if (flags[i] & RETRIED) retryRects.push(x, y, w, h);
          if (coldTick[i] && laneH >= 6) coldPath.rect(x, y, 2, h);
          bars++;
        }
      }
    }
    ctx.save(); ctx.beginPath(); ctx.rect(GUTTER, top, plotW, L * laneH); ctx.clip();
    for (v = 0; v < 8; v++) { ctx.globalAlpha = 0.22 + 0.78 * v / 7; ctx.fillStyle = C.ok; ctx.fill(levels[v]); }
    ctx.globalAlpha = 1;
    ctx.fillStyle = C.ok; ctx.fill(okPath);
    ctx.fillStyle = C.failed; ctx.fill(failPath);
    ctx.strokeStyle = C.retried; ctx.lineWidth = 1.5;
    for (i = 0; i < retryRects.length; i += 4) ctx.strokeRect(retryRects[i] + 0.75, retryRects[i + 1] + 0.75, Math.max(0.5, retryRects[i + 2] - 1.5), retryRects[i + 3] - 1.5);
    ctx.fillStyle = C.retried; ctx.fill(retryPath);
    ctx.fillStyle = '#111'; ctx.fill(coldPath);
    ctx.restore();
    drawMarker(ctx, tl.createdAt, 'created', top - 2, top + L * laneH, k);
    drawMarker(ctx, tl.lastReceivedAt, 'last result', top - 2, top + L * laneH, k);
    tlCanvas.dataset.bars = String(bars);
    tlCanvas.dataset.denseLanes = String(dense);
    var note = dense ? (bars ? ' \u00b7 shaded lanes: zoom in for single jobs' : ' \u00b7 shading = how busy each worker was: zoom in for single jobs') : '';
    document.getElementById('timeline-window').textContent = 'showing ' + fmtMs(a * tl.unitMs) + ' \u2013 ' + fmtMs(b * tl.unitMs) + ' of ' + fmtMs(span * tl.unitMs) + note;
    document.getElementById('zoom-reset').disabled = a === 0 && b === span;
  }

  function concurrencyColumns(cols) {
    var a = view.a, b = view.b, colW = (b - a) / cols;
    var sum = new Float64Array(cols), peak = new Float64Array(cols);
    var si = upperBound(starts, 0, n, a), ei = upperBound(ends, 0, n, a), running = si - ei, t = a;
    function col(time) { return Math.max(0, Math.min(cols - 1, Math.floor((time - a) / colW))); }
    function advance(to) {
      var ca = col(t), cb = col(to);
      if (ca === cb) { sum[ca] += running * (to - t); }
      else {
        sum[ca] += running * (a + (ca + 1) * colW - t);
        for (var c = ca + 1; c < cb; c++) { sum[c] += running * colW; if (running > peak[c]) peak[c] = running; }
        sum[cb] += running * (to - (a + cb * colW));
      }
      if (running > peak[cb]) peak[cb] = running;
      t = to;
    }
    if (running > peak[0]) peak[0] = running;
    while (si < n || ei < n) {
      var endFirst = ei < n && (si >= n || ends[ei] <= starts[si]);
      var next = endFirst ? ends[ei] : starts[si];
      if (next > b) break;
      advance(next);
      if (endFirst) { running--; ei++; } else { running++; si++; if (running > peak[col(next)]) peak[col(next)] = running; }
    }
    advance(b);
    for (var c = 0; c < cols; c++) sum[c] /= colW;
    return { mean: sum, peak: peak };
  }

  var concurrencyCache = null;
  function drawConcurrency() {
    var W = ccCanvas.parentElement.clientWidth, plotW = Math.max(50, W - GUTTER - RIGHT);
    var top = 10, plotH = 130, H = top + plotH + 22;
    var ctx = setup(ccCanvas, W, H);
    var series = concurrencyColumns(plotW);
    concurrencyCache = series;
    var most = 0;
    for (var c = 0; c < plotW; c++) if (series.peak[c] > most) most = series.peak[c];
    var yMax = Math.max(1, most, tl.maxConcurrency || 0) * 1.08;
    var ystep = niceStep(yMax, 4);
    function yOf(v) { return top + plotH - v / yMax * plotH; }
    drawTimeAxis(ctx, plotW, top, top + plotH);
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (var v = 0; v <= yMax; v += ystep) {
      ctx.fillStyle = C.grid; ctx.fillRect(GUTTER, Math.round(yOf(v)), plotW, 1);
      ctx.fillStyle = C.text; ctx.fillText(sig(v, 6), GUTTER - 8, yOf(v));
    }
    ctx.save(); ctx.translate(14, top + plotH / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center'; ctx.fillText('jobs running', 0, 0); ctx.restore();
    ctx.beginPath(); ctx.moveTo(GUTTER, yOf(0));
    for (c = 0; c < plotW; c++) { ctx.lineTo(GUTTER + c, yOf(series.mean[c])); ctx.lineTo(GUTTER + c + 1, yOf(series.mean[c])); }
    ctx.lineTo(GUTTER + plotW, yOf(0)); ctx.closePath(); ctx.fillStyle = C.fill; ctx.fill();
    ctx.beginPath();
    for (c = 0; c < plotW; c++) { ctx.lineTo(GUTTER + c, yOf(series.peak[c])); ctx.lineTo(GUTTER + c + 1, yOf(series.peak[c])); }
    ctx.strokeStyle = C.ok; ctx.lineWidth = 1.25; ctx.stroke();
    if (tl.maxConcurrency) {
      var y = Math.round(yOf(tl.maxConcurrency)) + 0.5;
      ctx.save(); ctx.setLineDash([6, 4]); ctx.strokeStyle = C.limit; ctx.lineWidth = 1; ctx.beginPath(); ctx.moveTo(GUTTER, y); ctx.lineTo(GUTTER + plotW, y); ctx.stroke(); ctx.restore();
      ctx.fillStyle = C.limit; ctx.textAlign = 'right'; ctx.textBaseline = 'bottom';
      ctx.fillText('max concurrency ' + tl.maxConcurrency, GUTTER + plotW - 4, y - 2);
    }
    ccCanvas.dataset.peak = String(most);
  }

  function draw() { drawTimeline(); drawConcurrency(); }

  // Zoom by dragging across either chart; double-click or the button shows everything again.
  var tooltip = document.getElementById('tooltip');
  function timeAt(canvas, clientX) {
    var r = canvas.getBoundingClientRect(), plotW = r.width - GUTTER - RIGHT;
    var x = Math.max(0, Math.min(plotW, clientX - r.left - GUTTER));
    return { x: x, t: view.a + x / plotW * (view.b - view.a) };
  }
  function showTip(text, ev) {
    tooltip.textContent = text; tooltip.hidden = false;
    var x = ev.clientX + 14, y = ev.clientY + 14;
    if (x + tooltip.offsetWidth > window.innerWidth - 8) x = ev.clientX - tooltip.offsetWidth - 14;
    if (y + tooltip.offsetHeight > window.innerHeight - 8) y = ev.clientY - tooltip.offsetHeight - 14;
    tooltip.style.left = x + 'px'; tooltip.style.top = y + 'px';
  }
  function jobTip(canvas, ev) {
    var r = canvas.getBoundingClientRect();
    var l = Math.floor((ev.clientY - r.top - layout.top) / layout.laneH);
    if (l < 0 || l >= L || ev.clientX - r.left < GUTTER) return null;
    var at = timeAt(canvas, ev.clientX).t, tol = 2 / layout.plotW * (view.b - view.a);
    var lo = laneStart[l], hi = laneStart[l + 1], best = -1;
    for (var i = upperBound(start, lo, hi, at + tol) - 1, looked = 0; i >= lo && looked < 5000; i--, looked++) {
      if (start[i] + laneMaxDur[l] + tol < at) break;
      if (start[i] - tol <= at && at <= start[i] + dur[i] + tol) { best = i; if (start[i] <= at && at <= start[i] + dur[i]) break; }
    }
    if (best < 0) return tl.lanes[l] + '\n' + (hi - lo) + ' jobs on this worker';
    var lines = ['job ' + ids[best] + (flags[best] & FAILED ? ' \u00b7 failed' : ' \u00b7 ok')];
    if (flags[best] & FAILED) lines.push(tl.errors[errorOf[best]]);
    lines.push('started +' + fmtMs(start[best] * tl.unitMs) + ', ran ' + fmtMs(dur[best] * tl.unitMs) +
      (flags[best] & RETRIED ? ' \u00b7 attempt ' + attemptOf[best] : '') + (flags[best] & COLD ? ' \u00b7 cold start' : ''));
    lines.push('worker ' + tl.lanes[l]);
    return lines.join('\n');
  }
  function concurrencyTip(canvas, ev) {
    if (!concurrencyCache) return null;
    var hit = timeAt(canvas, ev.clientX), c = Math.min(concurrencyCache.mean.length - 1, Math.floor(hit.x));
    return '+' + fmtMs(hit.t * tl.unitMs) + ': ' + sig(concurrencyCache.mean[c], 3) + ' running on average, at most ' + concurrencyCache.peak[c];
  }
  function interactive(canvas, tip) {
    var chart = canvas.parentElement, sel = chart.querySelector('.selection'), drag = null;
    canvas.addEventListener('mousedown', function (ev) { drag = timeAt(canvas, ev.clientX); ev.preventDefault(); });
    window.addEventListener('mousemove', function (ev) {
      if (!drag) return;
      var now = timeAt(canvas, ev.clientX);
      sel.hidden = false;
      sel.style.left = (GUTTER + Math.min(drag.x, now.x)) + 'px'; sel.style.width = Math.abs(now.x - drag.x) + 'px';
    });
    window.addEventListener('mouseup', function (ev) {
      if (!drag) return;
      var now = timeAt(canvas, ev.clientX), from = drag;
      drag = null; sel.hidden = true;
      if (Math.abs(now.x - from.x) < 4) return;
      view = { a: Math.min(from.t, now.t), b: Math.max(from.t, now.t) };
      draw();
    });
    canvas.addEventListener('mousemove', function (ev) { if (drag) return; var text = tip(canvas, ev); if (text) showTip(text, ev); else tooltip.hidden = true; });
    canvas.addEventListener('mouseleave', function () { tooltip.hidden = true; });
    canvas.addEventListener('dblclick', reset);
  }
  function reset() { view = { a: 0, b: span }; draw(); }
  document.getElementById('zoom-reset').addEventListener('click', reset);
  interactive(tlCanvas, jobTip);
  interactive(ccCanvas, concurrencyTip);
  var pending = false, lastWidth = 0;
  window.addEventListener('resize', function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; if (tlCanvas.parentElement.clientWidth !== lastWidth) { lastWidth = tlCanvas.parentElement.clientWidth; draw(); } });
  });
  lastWidth = tlCanvas.parentElement.clientWidth;
  draw();
  document.documentElement.dataset.drawnMs = String(Math.round(performance.now()));
  document.documentElement.dataset.scriptMs = String(Math.round(performance.now() - t0));
})();
`;
