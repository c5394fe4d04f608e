// The race view's panels: the cost chart (and the η plot of a sweep), the results table, inside this step.
import { formatNumber } from "./contour.js";
import { drawChart } from "./chart.js";
import { app, $ } from "./model.js";

// ---- chart, table, inside ------------------------------------------------------------------------
function bestCost() {
  const minima = (app.surface && app.surface.minima) || [];
  const known = minima.filter((m) => m.kind === "global").map((m) => m.cost);
  if (known.length) return Math.min(...known);
  const all = app.results.flatMap((r) => r.cost.filter((c) => c !== null));
  const gridMin = app.surface && app.surface.grid.min;
  return Math.min(gridMin ?? Infinity, ...all);
}

export function renderChart() {
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

export function renderTable() {
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

export function renderInside() {
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

