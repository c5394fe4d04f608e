// The cost-landscape explorer: the page asks the server (the library) for paths and draws them.
import { levelsFor, formatNumber } from "./contour.js";
import { app, $ } from "./model.js";
import { draw, mapGeometry, toPixel, toWeights } from "./map.js";
import { renderChart, renderTable, renderInside } from "./panels.js";
import { encode, decode, DEFAULT_ON } from "./state.js";
import { startMinibatch } from "./minibatch.js";

const DECAYS = [["none", "no decay"], ["inverse_time", "η₀ / (1 + k·epoch)"], ["exponential", "k^epoch · η₀"],
                ["inverse_sqrt", "k / √(epoch+1) · η₀"]];
const DECAY_RATE = { none: 0, inverse_time: 0.01, exponential: 0.95, inverse_sqrt: 1 };
const SYMBOLS = { beta: "β", momentum: "m", beta_1: "β₁", beta_2: "β₂", rho: "ρ", epsilon: "ε",
                  weight_decay: "λ", initial_accumulator_value: "s₀" };
const FAN = ["#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151",
             "#bddf26", "#fde725", "#f9c80e"]; // viridis: ordered, colour-blind safe, for the η fan


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
  for (const id of ["download-csv", "download-json"]) $(id).hidden = s.view !== "race"; // the race's paths
  $("python").hidden = s.view !== "race" || s.mode !== "race";
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
  const id = ++app.surfaceId;
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

function renderAll() {
  $("frame").textContent = `t = ${Math.floor(app.frame)} / ${app.maxFrame || 0}`;
  $("scrub").max = app.maxFrame || 0;
  $("scrub").value = Math.floor(app.frame);
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
  $("scrub").addEventListener("input", (e) => {  // choose the iteration: the map, the chart and inside follow
    app.playing = false; app.frame = Number(e.target.value); app.frameExact = app.frame; renderAll(); requestInside();
  });
  $("reset").addEventListener("click", () => { app.playing = false; app.frame = 0; app.frameExact = 0; app.inside = null; renderAll(); renderInside(); });
  $("share").addEventListener("click", () => copy(location.href, "link"));
  $("python").addEventListener("click", async () => {
    try { const data = await api("/api/python", raceBody()); copy(data.code, "Python"); }
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
