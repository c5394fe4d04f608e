// The race view's map: the contour image, the minima, the paths up to the current frame, the start, the legend.
import { renderMap, drawScale } from "./contour.js";
import { setupCanvas, fitMap } from "./chart.js";
import { app, $ } from "./model.js";

// ---- drawing the map -----------------------------------------------------------------------------
export function mapGeometry() {
  const canvas = $("map");
  if (app.surface) fitMap(canvas, app.surface.window);
  const { ctx, w, h, dpr } = setupCanvas(canvas);
  const scaleWidth = 72 * dpr;
  return { canvas, ctx, w, h, dpr, mw: w - scaleWidth, mh: h };
}

export function toPixel(g, w1, w2, window) {
  const [x0, x1, y0, y1] = window;
  return [((w1 - x0) / (x1 - x0)) * g.mw, ((y1 - w2) / (y1 - y0)) * g.mh];
}
export function toWeights(g, px, py, window) {
  const [x0, x1, y0, y1] = window;
  return [x0 + (px / g.mw) * (x1 - x0), y1 - (py / g.mh) * (y1 - y0)];
}

export function draw() {
  if (app.state.view !== "race") return;
  const g = mapGeometry(), { ctx, dpr } = g;
  ctx.clearRect(0, 0, g.w, g.h);
  if (!app.surface) return;
  const window = app.surface.window;
  if (!app.mapImage || app.mapImage.width !== Math.round(g.mw) || app.mapImage.height !== g.mh) {
    app.mapImage = renderMap(app.surface.grid, app.levels, Math.round(g.mw), g.mh);
  }
  ctx.drawImage(app.mapImage, 0, 0);
  drawScale(ctx, app.levels, g.mw + 8 * dpr, 10 * dpr, 14 * dpr, g.mh - 20 * dpr, dpr);
  ctx.save();
  ctx.beginPath(); ctx.rect(0, 0, g.mw, g.mh); ctx.clip();
  drawAxes(g, window);
  for (const m of app.surface.minima) drawStar(ctx, ...toPixel(g, m.w1, m.w2, window), 11 * dpr, m.kind === "global");
  for (const r of app.results) drawPath(g, r, window);
  drawStart(g, window);
  ctx.restore();
  renderLegend();
}

function drawAxes(g, window) {
  const { ctx, dpr } = g;
  const [x0, x1, y0, y1] = window;
  ctx.font = `${13 * dpr}px system-ui, "DejaVu Sans", sans-serif`; ctx.fillStyle = "rgba(29,36,48,0.75)";
  const ticks = (lo, hi) => { const step = [0.5, 1, 2, 5, 10, 20].find((s) => (hi - lo) / s <= 10) || 50;
    const out = []; for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) out.push(+t.toFixed(6)); return out; };
  ctx.textAlign = "center"; ctx.textBaseline = "bottom";
  for (const t of ticks(x0, x1)) { const [px] = toPixel(g, t, y0, window); if (px > 20 * dpr && px < g.mw - 20 * dpr) ctx.fillText(String(t), px, g.mh - 4 * dpr); }
  ctx.textAlign = "left"; ctx.textBaseline = "middle";
  for (const t of ticks(y0, y1)) { const [, py] = toPixel(g, x0, t, window); if (py > 14 * dpr && py < g.mh - 24 * dpr) ctx.fillText(String(t), 5 * dpr, py); }
  ctx.font = `italic ${15 * dpr}px system-ui, "DejaVu Sans", sans-serif`; ctx.fillStyle = "#1d2430";
  ctx.textAlign = "right"; ctx.textBaseline = "bottom"; ctx.fillText("w₁ →", g.mw - 8 * dpr, g.mh - 22 * dpr);
  ctx.textAlign = "left"; ctx.textBaseline = "top"; ctx.fillText("↑ w₂", 8 * dpr, 8 * dpr);
}

function drawStar(ctx, x, y, r, filled) {
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const a = -Math.PI / 2 + (k * Math.PI) / 5, rr = k % 2 ? r * 0.45 : r;
    ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
  }
  ctx.closePath();
  ctx.fillStyle = filled ? "#1d2430" : "rgba(255,255,255,0.6)"; ctx.fill();
  ctx.strokeStyle = filled ? "#ffffff" : "#1d2430"; ctx.lineWidth = r / 5; ctx.stroke();
}

function drawPath(g, r, window) {
  const { ctx, dpr } = g;
  const upto = Math.min(app.frame, r.path.length - 1);
  const pts = r.path.slice(0, upto + 1).map(([a, b]) => toPixel(g, a, b, window));
  const inView = (p) => p[0] >= -2 && p[0] <= g.mw + 2 && p[1] >= -2 && p[1] <= g.mh + 2;
  // a diverged path is drawn up to where it leaves the view, then marked
  let last = pts.length - 1;
  const firstOut = pts.findIndex((p) => !inView(p));
  const cut = r.diverged && firstOut >= 0;
  if (cut) last = firstOut;
  const dark = r.colour === "#F0E442" || r.colour === "#f9c80e" || r.colour === "#fde725" || r.colour === "#bddf26";
  for (const pass of [0, 1]) {
    ctx.beginPath();
    for (let i = 0; i <= last; i++) {
      let p = pts[i];
      if (cut && i === last && i > 0) p = clipToView(pts[i - 1], pts[i], g);
      if (i === 0) ctx.moveTo(...p); else ctx.lineTo(...p);
    }
    ctx.setLineDash(pass ? (r.dash || []).map((d) => d * dpr) : []);
    ctx.lineJoin = "round"; ctx.lineCap = "round";
    ctx.strokeStyle = pass ? r.colour : dark ? "rgba(30,30,30,0.85)" : "rgba(255,255,255,0.9)";
    ctx.lineWidth = (pass ? 3 : 6.5) * dpr;
    ctx.stroke();
  }
  ctx.setLineDash([]);
  const end = cut ? clipToView(pts[Math.max(0, last - 1)], pts[last], g) : pts[last];
  if (!end) return;
  if (r.diverged && (cut || upto >= r.path.length - 1)) {
    ctx.font = `bold ${26 * dpr}px system-ui, "DejaVu Sans", sans-serif`; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    const ex = Math.min(Math.max(end[0], 14 * dpr), g.mw - 14 * dpr), ey = Math.min(Math.max(end[1], 14 * dpr), g.mh - 14 * dpr);
    ctx.lineWidth = 5 * dpr; ctx.strokeStyle = "#fff"; ctx.strokeText("✕", ex, ey);
    ctx.fillStyle = r.colour; ctx.fillText("✕", ex, ey);
  } else {
    ctx.beginPath(); ctx.arc(end[0], end[1], 6.5 * dpr, 0, 2 * Math.PI);
    ctx.fillStyle = r.colour; ctx.fill(); ctx.lineWidth = 2 * dpr; ctx.strokeStyle = dark ? "#1d2430" : "#fff"; ctx.stroke();
  }
}

function clipToView(a, b, g) { // the point where segment a→b leaves the view rectangle
  let t = 1;
  const d = [b[0] - a[0], b[1] - a[1]];
  for (const [k, lo, hi] of [[0, 0, g.mw], [1, 0, g.mh]]) {
    if (d[k] > 0 && b[k] > hi) t = Math.min(t, (hi - a[k]) / d[k]);
    if (d[k] < 0 && b[k] < lo) t = Math.min(t, (lo - a[k]) / d[k]);
  }
  t = Math.max(0, t);
  return [a[0] + d[0] * t, a[1] + d[1] * t];
}

function drawStart(g, window) {
  const { ctx, dpr } = g;
  const [x, y] = toPixel(g, app.state.start[0], app.state.start[1], window);
  ctx.beginPath(); ctx.arc(x, y, 11 * dpr, 0, 2 * Math.PI);
  ctx.fillStyle = "rgba(255,255,255,0.85)"; ctx.fill();
  ctx.lineWidth = 2 * dpr; ctx.strokeStyle = "#1d2430"; ctx.stroke();
  ctx.beginPath(); ctx.arc(x, y, 7 * dpr, 0, 2 * Math.PI); ctx.fillStyle = "#e4002b"; ctx.fill();
}

function renderLegend() {
  const legend = $("legend");
  const rows = app.results.map((r) => {
    const dash = (r.dash || []).length ? `stroke-dasharray="${r.dash.join(" ")}"` : "";
    const halo = ["#F0E442", "#fde725", "#f9c80e", "#bddf26"].includes(r.colour) ? `<line x1="2" y1="7" x2="32" y2="7" stroke="#333" stroke-width="7"/>` : "";
    const status = r.diverged ? ` <span class="diverged">diverged${r.diverged_at ? ` at t = ${r.diverged_at}` : ""}</span>` : "";
    return `<div><svg width="34" height="14">${halo}<line x1="2" y1="7" x2="32" y2="7" stroke="${r.colour}" stroke-width="4" ${dash}/></svg>${r.label}${status}</div>`;
  });
  if (rows.length) rows.push(`<div class="muted"><svg width="34" height="16"><circle cx="17" cy="8" r="6" fill="#e4002b" stroke="#1d2430" stroke-width="1.5"/></svg>start (drag)&nbsp; ★ minimum${(app.surface && app.surface.minima.some((m) => m.kind === "local")) ? " ☆ local" : ""}</div>`);
  legend.innerHTML = rows.join("");
}

