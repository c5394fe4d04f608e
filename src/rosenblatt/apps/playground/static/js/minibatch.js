// The mini-batch view: the same logistic regression with batch size 1, 16 and 200, on the true cost's map.
import { renderMap, levelsFor, drawScale, formatNumber } from "./contour.js";
import { drawChart, setupCanvas, fitMap } from "./chart.js";
import { encode } from "./state.js";

const $ = (id) => document.getElementById(id);
const STYLE = { 1: { colour: "#D55E00", dash: [], label: "batch 1 (stochastic)" },
                16: { colour: "#0072B2", dash: [7, 4], label: "batch 16 (mini-batch)" },
                200: { colour: "#000000", dash: [], label: "batch 200 (batch GD)" } };

export function startMinibatch(app, api) {
  const mb = { surface: null, levels: null, image: null, runs: [], requestId: 0 };
  app.mb = mb;

  async function surface() {
    if (!mb.surface) { mb.surface = await api("/api/minibatch/surface"); mb.levels = levelsFor(mb.surface.grid, 14); }
  }

  async function compute() {
    const id = ++mb.requestId, s = app.state.mb;
    await surface();
    const lr = mb.surface.learning_rates[s.lr];
    $("mb-lr-value").textContent = `η = ${lr}`;
    const runs = await Promise.all([...s.batches].sort((a, b) => a - b).map((b) =>
      api("/api/minibatch", { batch_size: b, learning_rate: lr, iterations: s.iterations, seed: s.seed })));
    if (id !== mb.requestId) return;
    mb.runs = runs;
    render();
  }

  function geometry(canvas) {
    fitMap(canvas, mb.surface.window);
    const { ctx, w, h, dpr } = setupCanvas(canvas);
    return { ctx, w, h, dpr, mw: w - 72 * dpr, mh: h };
  }

  function render() {
    const g = geometry($("mb-map")), { ctx, dpr } = g, win = mb.surface.window;
    const P = (a, b) => [((a - win[0]) / (win[1] - win[0])) * g.mw, ((win[3] - b) / (win[3] - win[2])) * g.mh];
    ctx.clearRect(0, 0, g.w, g.h);
    if (!mb.image || mb.image.width !== Math.round(g.mw) || mb.image.height !== g.mh) mb.image = renderMap(mb.surface.grid, mb.levels, Math.round(g.mw), g.mh);
    ctx.drawImage(mb.image, 0, 0);
    drawScale(ctx, mb.levels, g.mw + 8 * dpr, 10 * dpr, 14 * dpr, g.mh - 20 * dpr, dpr);
    ctx.save(); ctx.beginPath(); ctx.rect(0, 0, g.mw, g.mh); ctx.clip();
    ctx.font = `italic ${15 * dpr}px system-ui, "DejaVu Sans", sans-serif`; ctx.fillStyle = "#1d2430";
    ctx.textAlign = "right"; ctx.textBaseline = "bottom"; ctx.fillText("w₁ →", g.mw - 8 * dpr, g.mh - 8 * dpr);
    ctx.textAlign = "left"; ctx.textBaseline = "top"; ctx.fillText("↑ w₂", 8 * dpr, 8 * dpr);
    for (const run of mb.runs) {
      const style = STYLE[run.batch_size];
      for (const pass of [0, 1]) {
        ctx.beginPath();
        run.path.forEach(([a, b], i) => (i ? ctx.lineTo(...P(a, b)) : ctx.moveTo(...P(a, b))));
        ctx.setLineDash(pass ? style.dash.map((d) => d * dpr) : []);
        ctx.strokeStyle = pass ? style.colour : "rgba(255,255,255,0.9)"; ctx.lineWidth = (pass ? 2.4 : 5.5) * dpr;
        ctx.lineJoin = "round"; ctx.stroke();
      }
      ctx.setLineDash([]);
      const end = P(...run.path[run.path.length - 1]);
      ctx.beginPath(); ctx.arc(end[0], end[1], 6 * dpr, 0, 2 * Math.PI); ctx.fillStyle = style.colour; ctx.fill();
      ctx.strokeStyle = "#fff"; ctx.lineWidth = 2 * dpr; ctx.stroke();
    }
    const [sx, sy] = P(...mb.surface.start);
    ctx.beginPath(); ctx.arc(sx, sy, 9 * dpr, 0, 2 * Math.PI); ctx.fillStyle = "#e4002b"; ctx.fill();
    ctx.strokeStyle = "#1d2430"; ctx.lineWidth = 2 * dpr; ctx.stroke();
    ctx.restore();
    $("mb-legend").innerHTML = mb.runs.map((run) => {
      const st = STYLE[run.batch_size];
      return `<div><svg width="34" height="14"><line x1="2" y1="7" x2="32" y2="7" stroke="${st.colour}" stroke-width="4" ${st.dash.length ? `stroke-dasharray="${st.dash.join(" ")}"` : ""}/></svg>${st.label}</div>`;
    }).join("");
    drawChart($("mb-chart"), mb.runs.map((run) => ({ values: run.batch_cost, colour: STYLE[run.batch_size].colour,
      dash: STYLE[run.batch_size].dash, width: run.batch_size === 1 ? 1.4 : 2.4 })), { ylabel: "mini-batch J" });
    const table = $("mb-results");
    table.tHead.innerHTML = "<tr><th>batch</th><th>final J</th><th>w final</th><th title='mean |J_t − J_{t−1}| of the mini-batch cost'>noise</th></tr>";
    table.tBodies[0].innerHTML = mb.runs.map((run) => {
      const st = STYLE[run.batch_size];
      return `<tr><td><span class="key" style="background:${st.colour}"></span>${run.batch_size}</td><td>${formatNumber(run.final_cost)}</td>
        <td>(${run.path[run.path.length - 1].map(formatNumber).join(", ")})</td><td>${formatNumber(roughness(run.batch_cost))}</td></tr>`;
    }).join("");
    drawData();
  }

  function drawData() { // the points and each run's final decision boundary w · x = 0
    const g = setupCanvas($("mb-data")), { ctx, w, h, dpr } = g;
    const R = 4.5, P = (a, b) => [((a + R) / (2 * R)) * w, ((R - b) / (2 * R)) * h];
    ctx.clearRect(0, 0, w, h); ctx.fillStyle = "#fafbfc"; ctx.fillRect(0, 0, w, h);
    mb.surface.x.forEach(([a, b], i) => {
      const [px, py] = P(a, b), one = mb.surface.y[i] === 1;
      ctx.beginPath(); ctx.arc(px, py, 3.2 * dpr, 0, 2 * Math.PI);
      ctx.fillStyle = one ? "#009E73" : "#56B4E9"; ctx.fill();
      if (one) { ctx.strokeStyle = "#1d2430"; ctx.lineWidth = 0.8 * dpr; ctx.stroke(); }
    });
    for (const run of mb.runs) {
      const [w1, w2] = run.path[run.path.length - 1], st = STYLE[run.batch_size];
      ctx.beginPath();
      if (Math.abs(w2) > Math.abs(w1)) { ctx.moveTo(...P(-R, (w1 * R) / w2)); ctx.lineTo(...P(R, (-w1 * R) / w2)); }
      else { ctx.moveTo(...P((w2 * R) / w1, -R)); ctx.lineTo(...P((-w2 * R) / w1, R)); }
      ctx.strokeStyle = st.colour; ctx.lineWidth = 2.2 * dpr; ctx.setLineDash(st.dash.map((d) => d * dpr)); ctx.stroke(); ctx.setLineDash([]);
    }
  }

  function roughness(values) { // mean |J_t − J_{t−1}|: how noisy the curve is
    let sum = 0;
    for (let i = 1; i < values.length; i++) sum += Math.abs(values[i] - values[i - 1]);
    return values.length > 1 ? sum / (values.length - 1) : 0;
  }
  mb.roughness = roughness;

  function sync() {
    const s = app.state.mb;
    document.querySelectorAll('input[name="mb-lr"]').forEach((r) => { r.checked = r.value === s.lr; });
    document.querySelectorAll('input[name="mb-batch"]').forEach((c) => { c.checked = s.batches.includes(Number(c.value)); });
    $("mb-iterations").value = s.iterations; $("mb-seed").value = s.seed;
  }

  const update = () => { history.replaceState(null, "", `?${encode(app.state)}`); compute().catch((e) => console.warn(e.message)); };
  document.querySelectorAll('input[name="mb-lr"]').forEach((r) => r.addEventListener("change", () => { app.state.mb.lr = r.value; update(); }));
  document.querySelectorAll('input[name="mb-batch"]').forEach((c) => c.addEventListener("change", () => {
    app.state.mb.batches = [...document.querySelectorAll('input[name="mb-batch"]:checked')].map((x) => Number(x.value)); update(); }));
  $("mb-iterations").addEventListener("change", (e) => { const v = Math.round(Number(e.target.value)); if (v >= 1 && v <= 2000) { app.state.mb.iterations = v; update(); } });
  $("mb-seed").addEventListener("change", (e) => { const v = Math.round(Number(e.target.value)); if (v >= 0) { app.state.mb.seed = v; update(); } });

  return { show: () => { sync(); mb.image = null; compute().catch((e) => console.warn(e.message)); }, compute };
}
