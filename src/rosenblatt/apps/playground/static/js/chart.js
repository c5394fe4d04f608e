// Line charts on a canvas: cost against iteration (linear or log), final cost against η (log–log).

// a map canvas: as tall as its map part (the width less the colour scale) for the window's aspect ratio
export function fitMap(canvas, window, scale = 72) {
  const width = canvas.getBoundingClientRect().width;
  const ratio = Math.min(1.6, Math.max(0.4, (window[3] - window[2]) / (window[1] - window[0])));
  canvas.style.height = `${Math.round((width - scale) * ratio)}px`;
}

export function setupCanvas(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const rect = canvas.getBoundingClientRect();
  const w = Math.max(1, Math.round(rect.width * dpr)), h = Math.max(1, Math.round(rect.height * dpr));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  return { ctx: canvas.getContext("2d"), w, h, dpr };
}

function niceTicks(lo, hi, count = 5) {
  const span = hi - lo || 1, step0 = span / count, mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= step0) || mag * 10;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(+t.toPrecision(12));
  return ticks;
}

function label(v) {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(0).replace("e+", "e");
  return String(+v.toPrecision(4));
}

// series: [{values: [y...], xs?: [x...], colour, dash, width, points?: bool, marks?: [{x, y, text}]}]
export function drawChart(canvas, series, options = {}) {
  const { ctx, w, h, dpr } = setupCanvas(canvas);
  const logY = !!options.logY, logX = !!options.logX;
  const pad = { l: 70 * dpr, r: 18 * dpr, t: 14 * dpr, b: 44 * dpr };
  ctx.clearRect(0, 0, w, h);
  const ty = (v) => (logY ? Math.log10(v) : v), tx = (v) => (logX ? Math.log10(v) : v);
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (const s of series) {
    s.values.forEach((v, i) => {
      const x = s.xs ? s.xs[i] : i;
      if (v === null || !Number.isFinite(v) || (logY && v <= 0) || (logX && x <= 0)) return;
      xmin = Math.min(xmin, tx(x)); xmax = Math.max(xmax, tx(x));
      ymin = Math.min(ymin, ty(v)); ymax = Math.max(ymax, ty(v));
    });
  }
  if (options.xmax !== undefined) { xmin = Math.min(xmin, 0); xmax = Math.max(xmax, tx(options.xmax)); }
  if (!Number.isFinite(xmin)) { xmin = 0; xmax = 1; ymin = 0; ymax = 1; }
  if (xmax === xmin) xmax = xmin + 1;
  if (ymax === ymin) { ymax += 0.5; ymin -= 0.5; }
  const yr = ymax - ymin; ymin -= yr * 0.04; ymax += yr * 0.04;
  const X = (x) => pad.l + ((tx(x) - xmin) / (xmax - xmin)) * (w - pad.l - pad.r);
  const Y = (v) => h - pad.b - ((ty(v) - ymin) / (ymax - ymin)) * (h - pad.t - pad.b);
  ctx.font = `${13 * dpr}px system-ui, "DejaVu Sans", sans-serif`;
  ctx.fillStyle = "#5b6574"; ctx.strokeStyle = "#e3e7ed"; ctx.lineWidth = dpr;
  const yTicks = logY ? niceTicks(Math.floor(ymin), Math.ceil(ymax), 6).filter((t) => Number.isInteger(t) && t >= ymin && t <= ymax)
                      : niceTicks(ymin, ymax, 5);
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  for (const t of yTicks) {
    const v = logY ? 10 ** t : t, y = Y(v);
    ctx.beginPath(); ctx.moveTo(pad.l, y); ctx.lineTo(w - pad.r, y); ctx.stroke();
    ctx.fillText(label(v), pad.l - 6 * dpr, y);
  }
  const xTicks = logX ? niceTicks(Math.floor(xmin), Math.ceil(xmax), 6).filter((t) => Number.isInteger(t) && t >= xmin - 1e-9 && t <= xmax + 1e-9)
                      : niceTicks(xmin, xmax, 6);
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  for (const t of xTicks) {
    const x = X(logX ? 10 ** t : t);
    ctx.beginPath(); ctx.moveTo(x, pad.t); ctx.lineTo(x, h - pad.b); ctx.stroke();
    ctx.fillText(label(logX ? 10 ** t : t), x, h - pad.b + 6 * dpr);
  }
  ctx.fillStyle = "#1d2430"; ctx.font = `${14 * dpr}px system-ui, "DejaVu Sans", sans-serif`;
  ctx.fillText(options.xlabel || "iteration", (pad.l + w - pad.r) / 2, h - 20 * dpr);
  ctx.save(); ctx.translate(16 * dpr, (pad.t + h - pad.b) / 2); ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle"; ctx.fillText(options.ylabel || "J", 0, 0); ctx.restore();
  ctx.save();
  ctx.beginPath(); ctx.rect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b); ctx.clip();
  for (const s of series) {
    ctx.strokeStyle = s.colour; ctx.lineWidth = (s.width || 2.2) * dpr;
    ctx.setLineDash((s.dash || []).map((d) => d * dpr));
    ctx.beginPath();
    let pen = false;
    const last = s.upto === undefined ? s.values.length - 1 : Math.min(s.upto, s.values.length - 1);
    for (let i = 0; i <= last; i++) {
      const v = s.values[i], x = s.xs ? s.xs[i] : i;
      if (v === null || !Number.isFinite(v) || (logY && v <= 0)) { pen = false; continue; }
      if (pen) ctx.lineTo(X(x), Y(v)); else ctx.moveTo(X(x), Y(v));
      pen = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
    if (s.points) {
      s.values.forEach((v, i) => {
        if (v === null || !Number.isFinite(v) || (logY && v <= 0)) return;
        ctx.fillStyle = (s.pointColours && s.pointColours[i]) || s.colour;
        ctx.beginPath(); ctx.arc(X(s.xs[i]), Y(v), 5 * dpr, 0, 2 * Math.PI); ctx.fill();
        ctx.strokeStyle = "#1d2430"; ctx.lineWidth = dpr; ctx.stroke();
      });
    }
    for (const mark of s.marks || []) {
      ctx.fillStyle = "#b3261e"; ctx.font = `bold ${16 * dpr}px system-ui, "DejaVu Sans", sans-serif`;
      ctx.textAlign = "center"; ctx.textBaseline = "middle";
      ctx.fillText(mark.text || "✕", X(mark.x), mark.top ? pad.t + 10 * dpr : Y(mark.y));
    }
  }
  ctx.restore();
  if (options.cursor !== undefined && options.cursor !== null) {
    const x = X(Math.max(options.cursor, logX ? 1e-300 : options.cursor));
    ctx.strokeStyle = "rgba(29, 36, 48, 0.55)"; ctx.lineWidth = 1.5 * dpr; ctx.setLineDash([4 * dpr, 4 * dpr]);
    ctx.beginPath(); ctx.moveTo(x, pad.t); ctx.lineTo(x, h - pad.b); ctx.stroke(); ctx.setLineDash([]);
  }
  ctx.strokeStyle = "#9aa4b2"; ctx.lineWidth = dpr; ctx.strokeRect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
}
