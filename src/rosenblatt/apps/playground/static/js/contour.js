// The filled contour map of J on a canvas: bands between quantile levels, contour lines, a colour scale.
// Only drawing happens here; every number comes from the server (the library computed it).

// a neutral, slightly cool light-to-dark ramp: every Okabe–Ito path colour stands out on it
const RAMP = [[250, 251, 252], [233, 237, 242], [214, 221, 230], [192, 201, 213], [168, 179, 194],
              [143, 156, 174], [118, 132, 153], [96, 110, 133]];

export function rampColour(t) {
  const x = Math.min(Math.max(t, 0), 1) * (RAMP.length - 1);
  const i = Math.min(Math.floor(x), RAMP.length - 2), f = x - i;
  return RAMP[i].map((c, k) => Math.round(c + (RAMP[i + 1][k] - c) * f));
}

// count + 1 level values at equal quantiles of the finite grid values (equal areas of the map per band)
export function levelsFor(grid, count = 14) {
  const values = grid.J.flat().filter((v) => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (!values.length) return [0, 1];
  const levels = [];
  for (let i = 0; i <= count; i++) {
    const q = values[Math.min(values.length - 1, Math.round((i / count) * (values.length - 1)))];
    if (!levels.length || q > levels[levels.length - 1] + 1e-12 * Math.max(1, Math.abs(q))) levels.push(q);
  }
  if (levels.length < 2) levels.push(levels[0] + 1);
  return levels;
}

function band(levels, v) {
  let lo = 0, hi = levels.length - 1;
  if (v <= levels[0]) return 0;
  if (v >= levels[hi]) return 1;
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (levels[mid] <= v) lo = mid; else hi = mid; }
  return (lo + 0.5) / (levels.length - 1);
}

function sample(grid, gx, gy) { // bilinear in grid index space
  const n = grid.w1.length, m = grid.w2.length;
  const x = Math.min(Math.max(gx, 0), n - 1.000001), y = Math.min(Math.max(gy, 0), m - 1.000001);
  const i = Math.floor(x), j = Math.floor(y), fx = x - i, fy = y - j;
  const a = grid.J[j][i], b = grid.J[j][i + 1], c = grid.J[j + 1][i], d = grid.J[j + 1][i + 1];
  if (a === null || b === null || c === null || d === null) return null;
  return a * (1 - fx) * (1 - fy) + b * fx * (1 - fy) + c * (1 - fx) * fy + d * fx * fy;
}

// the map as an offscreen canvas of w × h device pixels (drawn once per landscape, then blitted)
export function renderMap(grid, levels, w, h) {
  const canvas = document.createElement("canvas");
  canvas.width = w; canvas.height = h;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(w, h);
  const n = grid.w1.length, m = grid.w2.length;
  const colours = new Map();
  for (let py = 0; py < h; py++) {
    const gy = (1 - (py + 0.5) / h) * (m - 1);
    for (let px = 0; px < w; px++) {
      const v = sample(grid, ((px + 0.5) / w) * (n - 1), gy);
      const o = (py * w + px) * 4;
      if (v === null) { image.data[o] = 255; image.data[o + 1] = 235; image.data[o + 2] = 235; image.data[o + 3] = 255; continue; }
      const t = band(levels, v);
      let c = colours.get(t);
      if (!c) { c = rampColour(t); colours.set(t, c); }
      image.data[o] = c[0]; image.data[o + 1] = c[1]; image.data[o + 2] = c[2]; image.data[o + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
  drawLines(ctx, grid, levels, w, h);
  return canvas;
}

// marching squares, one pass per inner level
function drawLines(ctx, grid, levels, w, h) {
  const n = grid.w1.length, m = grid.w2.length;
  const X = (i) => (i / (n - 1)) * w, Y = (j) => (1 - j / (m - 1)) * h;
  ctx.lineWidth = Math.max(1, w / 900);
  ctx.strokeStyle = "rgba(40, 50, 70, 0.38)";
  ctx.beginPath();
  for (const level of levels.slice(1, -1)) {
    for (let j = 0; j < m - 1; j++) {
      for (let i = 0; i < n - 1; i++) {
        const a = grid.J[j][i], b = grid.J[j][i + 1], c = grid.J[j + 1][i + 1], d = grid.J[j + 1][i];
        if (a === null || b === null || c === null || d === null) continue;
        const pts = [];
        const edge = (v0, v1, x0, y0, x1, y1) => {
          if ((v0 < level) !== (v1 < level)) {
            const f = (level - v0) / (v1 - v0);
            pts.push([X(x0 + (x1 - x0) * f), Y(y0 + (y1 - y0) * f)]);
          }
        };
        edge(a, b, i, j, i + 1, j); edge(b, c, i + 1, j, i + 1, j + 1);
        edge(c, d, i + 1, j + 1, i, j + 1); edge(d, a, i, j + 1, i, j);
        for (let k = 0; k + 1 < pts.length; k += 2) { ctx.moveTo(...pts[k]); ctx.lineTo(...pts[k + 1]); }
      }
    }
  }
  ctx.stroke();
}

// the colour scale: a vertical bar with the level values, equal height per band
export function drawScale(ctx, levels, x, y, width, height, dpr) {
  const bands = levels.length - 1;
  for (let k = 0; k < bands; k++) {
    const c = rampColour((k + 0.5) / bands);
    ctx.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
    ctx.fillRect(x, y + height - ((k + 1) / bands) * height, width, height / bands + 0.5);
  }
  ctx.strokeStyle = "#7a8494"; ctx.lineWidth = dpr; ctx.strokeRect(x, y, width, height);
  ctx.fillStyle = "#1d2430"; ctx.font = `${13 * dpr}px system-ui, "DejaVu Sans", sans-serif`;
  ctx.textAlign = "left"; ctx.textBaseline = "middle";
  const every = Math.ceil((bands + 1) / 8);
  for (let k = 0; k <= bands; k += every) {
    ctx.fillText(formatNumber(levels[k]), x + width + 5 * dpr, y + height - (k / bands) * height);
  }
}

export function formatNumber(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-4)) return v.toExponential(1).replace("e+", "e");
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toPrecision(3).replace(/\.?0+$/, "") || "0";
}
