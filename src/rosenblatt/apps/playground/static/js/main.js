// The cost-landscape explorer: the page asks the server (the library) for paths and draws them.
import { renderMap, levelsFor, drawScale, formatNumber } from "./contour.js";
import { drawChart, setupCanvas, fitMap } from "./chart.js";
import { encode, decode, DEFAULT_ON } from "./state.js";
import { startMinibatch } from "./minibatch.js";

const $ = (id) => document.getElementById(id);
const DECAYS = [["none", "no decay"], ["inverse_time", "η₀ / (1 + k·epoch)"], ["exponential", "k^epoch · η₀"],
                ["inverse_sqrt", "k / √(epoch+1) · η₀"]];
const DECAY_RATE = { none: 0, inverse_time: 0.01, exponential: 0.95, inverse_sqrt: 1 };
const SYMBOLS = { beta: "β", momentum: "m", beta_1: "β₁", beta_2: "β₂", rho: "ρ", epsilon: "ε",
                  weight_decay: "λ", initial_accumulator_value: "s₀" };
const FAN = ["#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151",
             "#bddf26", "#fde725", "#f9c80e"]; // viridis: ordered, colour-blind safe, for the η fan

export const app = {
  landscapes: {}, optimizers: [], state: null, results: [], etas: null, frame: 0, playing: false,
  surface: null, mapImage: null, levels: null, requestId: 0, inside: null, busy: false,
};
window.__playground = app;

async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const data = await response.json();
  if (!response.ok) {
    const detail = Array.isArray(data.detail)
      ? data.detail.map((d) => `${d.loc.filter((x) => x !== "body").join(".")}: ${d.msg}`).join("; ") : data.detail;
    throw new Error(detail);
  }
  return data;
}
export { api };

function toast(text) {
  const t = $("toast"); t.textContent = text; t.classList.add("show");
  clearTimeout(toast.timer); toast.timer = setTimeout(() => t.classList.remove("show"), 2200);
}

function suggestedRate(name, landscape) {
  const [x0, x1, y0, y1] = landscape.window, span = Math.max(x1 - x0, y1 - y0);
  const round1 = (v) => +v.toPrecision(1);
  if (name === "adadelta") return 1.0;
  if (["gd", "momentum", "nesterov"].includes(name)) return landscape.learning_rate; // the EWA form's step → η dW
  if (name === "adagrad") return round1(span / 20);
  return round1(span / 200);
}

function defaultState() {
  const opts = {};
  for (const o of app.optimizers) {
    opts[o.name] = { on: DEFAULT_ON.includes(o.name), learning_rate: o.learning_rate,
                     decay: { kind: "none", rate: 0.01, every: 1 }, params: { ...o.hyperparameters },
                     defaults: { ...o.hyperparameters } };
  }
  const state = { view: "race", landscape: "rosenbrock", formula: "w1^2 + 10*w2^2 + 2*sin(3*w1)",
                  window: [-3, 3, -3, 3], start: [-1.2, 1.0], steps: 300, noise: 0, seed: 0, mode: "race", opts,
                  sweep: { name: "gd", min: 1e-4, max: 0.01, count: 12 }, log: true, speed: 55,
                  mb: { lr: "medium", batches: [1, 16, 200], iterations: 200, seed: 0 } };
  applyLandscapeDefaults(state, app.landscapes[state.landscape]);
  return state;
}

function applyLandscapeDefaults(state, landscape) {
  state.start = [...landscape.start];
  for (const [name, o] of Object.entries(state.opts)) o.learning_rate = suggestedRate(name, landscape);
  state.sweep.min = +(landscape.learning_rate / 30).toPrecision(2);
  state.sweep.max = +(landscape.learning_rate * 30).toPrecision(2);
}

function currentLandscape() {
  const s = app.state;
  if (s.landscape === "custom") {
    return { name: "custom", title: "Custom formula", formula: s.formula, window: s.window, minima: [],
             about: "Your formula; its gradient comes from the library's GradientTape.", start: s.start };
  }
  return app.landscapes[s.landscape];
}

function surfaceBody() {
  const s = app.state;
  return s.landscape === "custom" ? { landscape: "custom", formula: s.formula, window: s.window } : { landscape: s.landscape };
}

function specOf(name) {
  const o = app.state.opts[name];
  const spec = { name, learning_rate: o.learning_rate };
  if (o.decay.kind !== "none") spec.decay = { kind: o.decay.kind, rate: o.decay.rate, every: o.decay.every };
  for (const [k, v] of Object.entries(o.params)) spec[k] = v;
  return spec;
}

export function raceBody(inspect) {
  const s = app.state;
  const body = { ...surfaceBody(), start: s.start, steps: s.steps, noise: s.noise, seed: s.seed,
                 optimizers: Object.keys(s.opts).filter((n) => s.opts[n].on).map(specOf) };
  if (inspect) body.inspect = inspect;
  return body;
}

function sweepBody() {
  const s = app.state;
  return { ...surfaceBody(), start: s.start, steps: s.steps, noise: s.noise, seed: s.seed,
           optimizer: specOf(s.sweep.name), eta_min: s.sweep.min, eta_max: s.sweep.max, count: s.sweep.count };
}

// ---- building the controls ---------------------------------------------------------------------
function buildControls() {
  const select = $("landscape");
  for (const l of Object.values(app.landscapes)) select.add(new Option(l.title, l.name));
  select.add(new Option("Custom formula…", "custom"));
  const box = $("optimizers"), sweepSelect = $("sweep-optimizer");
  for (const o of app.optimizers) {
    sweepSelect.add(new Option(o.label, o.name));
    const row = document.createElement("div");
    row.className = "opt"; row.dataset.name = o.name;
    const params = Object.keys(o.hyperparameters).map((k) =>
      `<label class="field inline">${SYMBOLS[k] || k} <input type="number" step="any" data-param="${k}"></label>`).join("");
    row.innerHTML = `
      <div class="opt-main">
        <input type="checkbox" data-role="on" id="on-${o.name}" aria-label="${o.label}">
        <canvas class="swatch" width="72" height="24"></canvas>
        <label class="opt-name" for="on-${o.name}">${o.label}</label>
        <label class="field inline">η <input type="number" step="any" min="0" max="10" data-role="lr" aria-label="${o.label} learning rate"></label>
      </div>
      <div class="opt-settings">
        <label class="field inline">decay <select data-role="decay">${DECAYS.map(([v, t]) => `<option value="${v}">${t}</option>`).join("")}</select></label>
        <label class="field inline" data-role="rate-box">k <input type="number" step="any" data-role="rate"></label>
        <label class="field inline" data-role="every-box">epoch = <input type="number" min="1" step="1" data-role="every" style="width:4em"> steps</label>
        ${params ? `<details class="more"><summary>${Object.keys(o.hyperparameters).map((k) => SYMBOLS[k] || k).join(", ")}</summary><div class="opt-settings">${params}</div></details>` : ""}
      </div>`;
    const sw = row.querySelector(".swatch").getContext("2d");
    sw.lineWidth = 5; sw.strokeStyle = o.colour; sw.setLineDash(o.dash.map((d) => d * 1.6));
    if (o.name === "nadam") { sw.strokeStyle = "#333"; sw.lineWidth = 8; sw.beginPath(); sw.moveTo(2, 12); sw.lineTo(70, 12); sw.stroke(); sw.strokeStyle = o.colour; sw.lineWidth = 5; }
    sw.beginPath(); sw.moveTo(2, 12); sw.lineTo(70, 12); sw.stroke();
    box.appendChild(row);
  }
  box.addEventListener("input", onOptimizerInput);
  box.addEventListener("change", onOptimizerInput);
}

function syncControls() {
  const s = app.state, l = currentLandscape();
  $("landscape").value = s.landscape;
  $("formula").textContent = l.formula;
  $("custom-box").hidden = s.landscape !== "custom";
  $("formula").hidden = s.landscape === "custom";
  $("custom-formula").value = s.formula;
  $("custom-window").value = s.window.join(",");
  $("about").textContent = l.about || "";
  $("start-w1").value = +s.start[0].toPrecision(5);
  $("start-w2").value = +s.start[1].toPrecision(5);
  $("steps").value = s.steps; $("noise").value = s.noise; $("seed").value = s.seed;
  $("logscale").checked = s.log; $("speed").value = s.speed;
  document.querySelectorAll('input[name="mode"]').forEach((r) => { r.checked = r.value === s.mode; });
  $("sweep-box").hidden = s.mode !== "sweep";
  $("sweep-optimizer").value = s.sweep.name;
  $("sweep-min").value = s.sweep.min; $("sweep-max").value = s.sweep.max; $("sweep-count").value = s.sweep.count;
  for (const row of document.querySelectorAll(".opt")) {
    const o = s.opts[row.dataset.name];
    row.classList.toggle("off", !o.on);
    row.querySelector('[data-role="on"]').checked = o.on;
    row.querySelector('[data-role="lr"]').value = o.learning_rate;
    row.querySelector('[data-role="decay"]').value = o.decay.kind;
    row.querySelector('[data-role="rate"]').value = o.decay.rate;
    row.querySelector('[data-role="every"]').value = o.decay.every;
    row.querySelector('[data-role="rate-box"]').hidden = o.decay.kind === "none";
    row.querySelector('[data-role="every-box"]').hidden = o.decay.kind === "none";
    row.querySelectorAll("[data-param]").forEach((input) => { input.value = o.params[input.dataset.param]; });
  }
  $("speed-label").textContent = `${stepsPerSecond().toFixed(0)} steps/s`;
  document.querySelectorAll(".tab").forEach((t) => t.setAttribute("aria-selected", String(t.id === `tab-${s.view}`)));
  $("view-race").hidden = s.view !== "race";
  $("view-minibatch").hidden = s.view !== "minibatch";
}

function onOptimizerInput(event) {
  const row = event.target.closest(".opt");
  if (!row) return;
  const o = app.state.opts[row.dataset.name], t = event.target, role = t.dataset.role;
  const value = Number(t.value);
  if (role === "on") o.on = t.checked;
  else if (role === "lr") { if (!(value > 0 && value <= 10)) return; o.learning_rate = value; }
  else if (role === "decay") { o.decay.kind = t.value; o.decay.rate = DECAY_RATE[t.value]; }
  else if (role === "rate") { if (!(value >= 0)) return; o.decay.rate = value; }
  else if (role === "every") { if (!(value >= 1)) return; o.decay.every = Math.round(value); }
  else if (t.dataset.param) { if (t.value === "" || !Number.isFinite(value)) return; o.params[t.dataset.param] = value; }
  else return;
  if (event.type === "input" && (role === "on" || role === "decay")) return; // handled on change
  syncControls(); changed();
}

// ---- computing -----------------------------------------------------------------------------------
let timer = null;
function changed({ keepFrame = false, immediate = false } = {}) {
  history.replaceState(null, "", `?${encode(app.state)}`);
  clearTimeout(timer);
  timer = setTimeout(() => compute(keepFrame), immediate ? 0 : 120);
}

async function loadSurface() {
  const id = ++app.surfaceId || (app.surfaceId = 1);
  try {
    const data = await api("/api/surface", { ...surfaceBody(), n: 161 });
    if (id !== app.surfaceId) return;
    app.surface = data; app.levels = levelsFor(data.grid); app.mapImage = null;
    $("custom-error").textContent = "";
    draw();
  } catch (error) {
    $("custom-error").textContent = error.message;
    throw error;
  }
}

async function compute(keepFrame) {
  const id = ++app.requestId;
  app.busy = true;
  try {
    const s = app.state;
    let data;
    if (s.mode === "sweep") data = await api("/api/sweep", sweepBody());
    else if (!Object.values(s.opts).some((o) => o.on)) data = { results: [] };
    else data = await api("/api/trajectories", raceBody());
    if (id !== app.requestId) return;
    app.results = data.results; app.etas = data.etas || null;
    if (s.mode === "sweep") colourFan();
    app.maxFrame = Math.max(0, ...app.results.map((r) => r.steps));
    if (!keepFrame || app.frame > app.maxFrame) app.frame = app.playing ? 0 : app.maxFrame;
    $("custom-error").textContent = "";
    app.inside = null;
    renderAll();
    if (!app.playing) requestInside();
  } catch (error) {
    if (id === app.requestId) { $("custom-error").textContent = error.message; toast(error.message); }
  } finally {
    if (id === app.requestId) app.busy = false;
  }
}

function colourFan() {
  const n = app.results.length;
  app.results.forEach((r, i) => {
    r.colour = FAN[Math.round((i / Math.max(1, n - 1)) * (FAN.length - 1))];
    r.dash = []; r.label = `η = ${formatNumber(app.etas[i])}`;
  });
}

let insideTimer = null;
function requestInside() {
  clearTimeout(insideTimer);
  if (app.state.mode !== "race" || !app.results.length) { renderInside(); return; }
  insideTimer = setTimeout(async () => {
    const t = Math.max(1, Math.min(app.frame || 1, app.maxFrame || 1));
    const id = app.requestId;
    try {
      const data = await api("/api/trajectories", raceBody(t));
      if (id !== app.requestId) return;
      app.inside = { t, rows: data.results.map((r) => ({ label: r.label, colour: r.colour, inside: r.inside, diverged_at: r.diverged_at })) };
      renderInside();
    } catch (error) { /* the main request reports errors */ }
  }, 160);
}

// ---- drawing the map -----------------------------------------------------------------------------
function mapGeometry() {
  const canvas = $("map");
  if (app.surface) fitMap(canvas, app.surface.window);
  const { ctx, w, h, dpr } = setupCanvas(canvas);
  const scaleWidth = 72 * dpr;
  return { canvas, ctx, w, h, dpr, mw: w - scaleWidth, mh: h };
}

function toPixel(g, w1, w2, window) {
  const [x0, x1, y0, y1] = window;
  return [((w1 - x0) / (x1 - x0)) * g.mw, ((y1 - w2) / (y1 - y0)) * g.mh];
}
function toWeights(g, px, py, window) {
  const [x0, x1, y0, y1] = window;
  return [x0 + (px / g.mw) * (x1 - x0), y1 - (py / g.mh) * (y1 - y0)];
}

function draw() {
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

// ---- chart, table, inside ------------------------------------------------------------------------
function bestCost() {
  const minima = (app.surface && app.surface.minima) || [];
  const known = minima.filter((m) => m.kind === "global").map((m) => m.cost);
  if (known.length) return Math.min(...known);
  const all = app.results.flatMap((r) => r.cost.filter((c) => c !== null));
  const gridMin = app.surface && app.surface.grid.min;
  return Math.min(gridMin ?? Infinity, ...all);
}

function renderChart() {
  const s = app.state;
  const Jstar = bestCost();
  const gap = (c) => (c === null ? null : s.log ? Math.max(c - Jstar, 1e-16) : c);
  const series = app.results.map((r) => ({ values: r.cost.map(gap), colour: r.colour, dash: r.dash, upto: app.frame,
    marks: r.diverged ? [{ x: Math.min(app.frame, r.steps), text: "✕", top: true }] : [] }));
  $("chart-title").textContent = s.mode === "sweep" ? "Cost vs iteration, one curve per η" : "Cost vs iteration";
  drawChart($("chart"), series, { logY: s.log, cursor: app.frame, xmax: app.maxFrame, ylabel: s.log ? "J − J*" : "J" });
  const etaChart = $("eta-chart");
  etaChart.hidden = s.mode !== "sweep";
  if (s.mode === "sweep" && app.etas) {
    const finals = app.results.map((r) => (r.diverged || r.final_cost === null ? null : gap(r.final_cost)));
    const marks = app.results.map((r, i) => (r.diverged ? { x: app.etas[i], text: "✕", top: true } : null)).filter(Boolean);
    drawChart(etaChart, [{ values: finals, xs: app.etas, colour: "#1d2430", points: true,
      pointColours: app.results.map((r) => r.colour), marks }],
      { logX: true, logY: s.log, xlabel: `η (${labelOf(s.sweep.name)}; ✕ diverged)`, ylabel: s.log ? `final J − J*` : "final J" });
  }
}

const labelOf = (name) => (app.optimizers.find((o) => o.name === name) || {}).label || name;

function renderTable() {
  const head = $("results").tHead, body = $("results").tBodies[0];
  head.innerHTML = `<tr><th>${app.state.mode === "sweep" ? "η" : "Optimizer"}</th><th>J at t</th><th>final J</th><th>steps</th><th>W final</th><th>distance to nearest minimum</th></tr>`;
  body.innerHTML = app.results.map((r) => {
    const t = Math.min(app.frame, r.steps);
    const end = r.path[r.path.length - 1];
    const status = r.diverged ? `<td class="diverged">diverged at ${r.diverged_at ?? r.steps}</td>` : `<td>${r.steps}</td>`;
    const near = r.distance === null || r.diverged ? "—" : `${formatNumber(r.distance)}${r.nearest_minimum && r.nearest_minimum.kind === "local" ? " (local)" : ""}`;
    return `<tr data-name="${r.name}"><td><span class="key" style="background:${r.colour}"></span>${r.label}</td>
      <td>${formatNumber(r.cost[t])}</td><td>${r.diverged ? "—" : formatNumber(r.final_cost)}</td>${status}
      <td>(${formatNumber(end[0])}, ${formatNumber(end[1])})</td><td>${near}</td></tr>`;
  }).join("");
}

const vec = (v) => (Array.isArray(v) ? `(${v.map(formatNumber).join(", ")})` : formatNumber(v));
const SLOT_NAMES = { v: "v_dW", s: "s_dW", velocity: "velocity", d: "d_W (mean Δ²)", s_max: "ŝ_dW max" };

function renderInside() {
  const box = $("inside");
  if (app.state.mode !== "race") { box.innerHTML = `<p class="muted">Switch to Race to see the optimizers' state.</p>`; return; }
  if (!app.inside) { box.innerHTML = `<p class="muted">Pause or press Step to see what happened inside a step.</p>`; return; }
  const { t, rows } = app.inside;
  $("inside-title").textContent = `Inside step t = ${t}`;
  const keys = [["η after decay", (i) => formatNumber(i.learning_rate)], ["dW", (i) => vec(i.dW)]];
  const slotKeys = [...new Set(rows.flatMap((r) => (r.inside ? Object.keys(r.inside.slots) : [])))];
  for (const k of slotKeys) keys.push([SLOT_NAMES[k] || k, (i) => (i.slots[k] ? vec(i.slots[k]) : "")]);
  keys.push(["v_dW^corr = v/(1−β₁ᵗ)", (i) => (i.corrected.v_corr ? vec(i.corrected.v_corr) : "")]);
  keys.push(["s_dW^corr = s/(1−β₂ᵗ)", (i) => (i.corrected.s_corr ? vec(i.corrected.s_corr) : "")]);
  keys.push(["step W_t − W_{t−1}", (i) => vec(i.step)]);
  keys.push(["effective η = −step / dW", (i) => vec(i.effective_learning_rate)]);
  keys.push(["W_t", (i) => vec(i.W)]);
  const header = rows.map((r) => `<th><span class="key" style="background:${r.colour}"></span>${r.label}</th>`).join("");
  const lines = keys.map(([name, f]) => `<tr><td>${name}</td>${rows.map((r) => (r.inside ? `<td>${f(r.inside)}</td>` : `<td class="muted">${r.diverged_at && r.diverged_at <= t ? "diverged" : "—"}</td>`)).join("")}</tr>`);
  box.innerHTML = `<table><thead><tr><th></th>${header}</tr></thead><tbody>${lines.join("")}</tbody></table>`;
}

function renderAll() {
  $("frame").textContent = `t = ${Math.floor(app.frame)} / ${app.maxFrame || 0}`;
  draw(); renderChart(); renderTable();
  $("play").textContent = app.playing ? "❚❚ Pause" : "▶ Play";
  $("play").setAttribute("aria-label", app.playing ? "pause" : "play");
}

// ---- animation -----------------------------------------------------------------------------------
function stepsPerSecond() { return Math.round(2 * 10 ** ((app.state ? app.state.speed : 55) / 100 * 3)); } // 2 … 2000
let last = null;
function tick(now) {
  if (!app.playing) return;
  const dt = last === null ? 0 : (now - last) / 1000;
  last = now;
  app.frameExact = Math.min(app.maxFrame, (app.frameExact ?? app.frame) + dt * stepsPerSecond());
  app.frame = Math.floor(app.frameExact);
  renderAll();
  if (app.frame >= app.maxFrame) { pause(); return; }
  requestAnimationFrame(tick);
}
function play() {
  if (!app.results.length) return;
  if (app.frame >= app.maxFrame) app.frame = 0;
  app.playing = true; app.frameExact = app.frame; last = null; app.inside = null; renderInside();
  renderAll(); requestAnimationFrame(tick);
}
function pause() { app.playing = false; app.frameExact = app.frame; renderAll(); requestInside(); }

// ---- dragging the start --------------------------------------------------------------------------
function setupDrag() {
  const canvas = $("map");
  let dragging = false, pending = false;
  const at = (event) => {
    const rect = canvas.getBoundingClientRect(), g = mapGeometry();
    const px = (event.clientX - rect.left) * g.dpr, py = (event.clientY - rect.top) * g.dpr;
    if (px > g.mw) return null;
    return toWeights(g, px, py, app.surface.window);
  };
  const move = (event) => {
    if (!dragging || !app.surface) return;
    const w = at(event);
    if (!w) return;
    app.state.start = w.map((v) => +v.toPrecision(5));
    $("start-w1").value = app.state.start[0]; $("start-w2").value = app.state.start[1];
    if (app.playing) app.playing = false;
    draw();
    if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; changed({ immediate: true }); }); }
  };
  canvas.addEventListener("pointerdown", (event) => {
    if (!app.surface || !at(event)) return;
    dragging = true;
    try { canvas.setPointerCapture(event.pointerId); } catch (error) { /* a synthetic pointer */ }
    move(event);
  });
  canvas.addEventListener("pointermove", move);
  const end = () => { dragging = false; };
  canvas.addEventListener("pointerup", end); canvas.addEventListener("pointercancel", end);
}

// where (w1, w2) is on the screen, in CSS pixels of the viewport (for tests and tours)
app.pixelOf = (w1, w2) => {
  const canvas = $("map"), rect = canvas.getBoundingClientRect(), g = mapGeometry();
  const [px, py] = toPixel(g, w1, w2, app.surface.window);
  return [rect.left + px / g.dpr, rect.top + py / g.dpr];
};

// ---- downloads and copies ------------------------------------------------------------------------
function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a"); a.href = url; a.download = name; a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
async function copy(text, what) {
  try { await navigator.clipboard.writeText(text); toast(`${what} copied`); }
  catch (error) { window.prompt(`Copy the ${what}:`, text); }
  app.copied = text;
}
export function pathsCsv() {
  const lines = ["optimizer,step,w1,w2,J"];
  for (const r of app.results) r.path.forEach(([a, b], t) => lines.push(`${r.label},${t},${a},${b},${r.cost[t] ?? ""}`));
  return lines.join("\n");
}

// ---- wiring --------------------------------------------------------------------------------------
function wire() {
  $("landscape").addEventListener("change", (e) => {
    app.state.landscape = e.target.value;
    if (e.target.value !== "custom") applyLandscapeDefaults(app.state, app.landscapes[e.target.value]);
    else app.state.start = [-2, 2];
    syncControls(); loadSurface().catch(() => {}); changed();
  });
  const custom = () => {
    const w = $("custom-window").value.split(",").map(Number);
    app.state.formula = $("custom-formula").value;
    if (w.length === 4 && w.every(Number.isFinite)) app.state.window = w;
    loadSurface().then(() => changed()).catch(() => {});
  };
  $("custom-formula").addEventListener("change", custom);
  $("custom-window").addEventListener("change", custom);
  for (const [id, key] of [["start-w1", 0], ["start-w2", 1]]) {
    $(id).addEventListener("change", (e) => { const v = Number(e.target.value); if (Number.isFinite(v)) { app.state.start[key] = v; draw(); changed(); } });
  }
  const numeric = (id, apply) => $(id).addEventListener("change", (e) => { const v = Number(e.target.value); if (e.target.value !== "" && Number.isFinite(v)) { apply(v); syncControls(); changed(); } });
  numeric("steps", (v) => { app.state.steps = Math.min(10000, Math.max(1, Math.round(v))); });
  numeric("noise", (v) => { app.state.noise = Math.min(100, Math.max(0, v)); });
  numeric("seed", (v) => { app.state.seed = Math.max(0, Math.round(v)); });
  numeric("sweep-min", (v) => { if (v > 0) app.state.sweep.min = v; });
  numeric("sweep-max", (v) => { if (v > 0 && v <= 10) app.state.sweep.max = v; });
  numeric("sweep-count", (v) => { app.state.sweep.count = Math.min(24, Math.max(2, Math.round(v))); });
  $("sweep-optimizer").addEventListener("change", (e) => { app.state.sweep.name = e.target.value; changed(); });
  document.querySelectorAll('input[name="mode"]').forEach((r) => r.addEventListener("change", (e) => { app.state.mode = e.target.value; syncControls(); changed(); }));
  $("logscale").addEventListener("change", (e) => { app.state.log = e.target.checked; history.replaceState(null, "", `?${encode(app.state)}`); renderChart(); });
  $("speed").addEventListener("input", (e) => { app.state.speed = Number(e.target.value); $("speed-label").textContent = `${stepsPerSecond()} steps/s`; history.replaceState(null, "", `?${encode(app.state)}`); });
  $("play").addEventListener("click", () => (app.playing ? pause() : play()));
  $("step").addEventListener("click", () => { app.playing = false; app.frame = Math.min(app.maxFrame, Math.floor(app.frame) + 1); app.frameExact = app.frame; renderAll(); requestInside(); });
  $("reset").addEventListener("click", () => { app.playing = false; app.frame = 0; app.frameExact = 0; app.inside = null; renderAll(); renderInside(); });
  $("share").addEventListener("click", () => copy(location.href, "link"));
  $("python").addEventListener("click", async () => {
    try { const data = await api("/api/python", app.state.mode === "sweep" ? raceBody() : raceBody()); copy(data.code, "Python"); }
    catch (error) { toast(error.message); }
  });
  $("download-csv").addEventListener("click", () => download("paths.csv", pathsCsv(), "text/csv"));
  $("download-json").addEventListener("click", () => download("paths.json", JSON.stringify({ request: raceBody(), results: app.results }, null, 1), "application/json"));
  for (const view of ["race", "minibatch"]) {
    $(`tab-${view}`).addEventListener("click", () => {
      app.state.view = view; syncControls(); history.replaceState(null, "", `?${encode(app.state)}`);
      if (view === "race") { app.mapImage = null; renderAll(); } else app.minibatch.show();
    });
  }
  window.addEventListener("resize", () => { app.mapImage = null; if (app.state.view === "race") renderAll(); else app.minibatch.show(); });
  window.addEventListener("keydown", (e) => {
    if (e.target.matches("input, select, textarea")) return;
    if (e.key === " ") { e.preventDefault(); app.playing ? pause() : play(); }
    if (e.key === "ArrowRight") $("step").click();
  });
}

async function main() {
  const [landscapes, optimizers] = await Promise.all([api("/api/landscapes"), api("/api/optimizers")]);
  for (const l of landscapes) app.landscapes[l.name] = l;
  app.optimizers = optimizers;
  const initial = defaultState(), named = new URLSearchParams(location.search).get("l");
  if (named in app.landscapes) { initial.landscape = named; applyLandscapeDefaults(initial, app.landscapes[named]); }
  app.state = decode(location.search, initial, optimizers);
  if (!(app.state.landscape in app.landscapes) && app.state.landscape !== "custom") app.state.landscape = "rosenbrock";
  buildControls(); syncControls(); wire(); setupDrag();
  app.minibatch = startMinibatch(app, api);
  await loadSurface().catch(() => {});
  await compute(false);
  if (app.state.view === "minibatch") app.minibatch.show();
  app.ready = true;
}
main();
