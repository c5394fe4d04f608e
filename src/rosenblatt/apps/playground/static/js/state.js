// The whole setup lives in the URL (?view=…&l=…&s=…&o=…), so that a shared link restores it exactly.

export const DEFAULT_ON = ["gd", "momentum", "rmsprop", "adam"];

export function encode(state) {
  const q = new URLSearchParams();
  q.set("view", state.view);
  q.set("l", state.landscape);
  if (state.landscape === "custom") { q.set("f", state.formula); q.set("win", state.window.join(",")); }
  q.set("s", state.start.map((v) => +v.toPrecision(6)).join(","));
  q.set("n", state.steps);
  if (state.noise) { q.set("noise", state.noise); q.set("seed", state.seed); }
  q.set("mode", state.mode);
  const parts = [];
  for (const [name, o] of Object.entries(state.opts)) {
    if (!o.on) continue;
    const bits = [name, `lr=${o.learning_rate}`];
    if (o.decay.kind !== "none") bits.push(`decay=${o.decay.kind}`, `rate=${o.decay.rate}`, `every=${o.decay.every}`);
    for (const [k, v] of Object.entries(o.params)) if (v !== o.defaults[k]) bits.push(`${k}=${v}`);
    parts.push(bits.join(","));
  }
  q.set("o", parts.join("|"));
  if (state.mode === "sweep") {
    q.set("sw", [state.sweep.name, state.sweep.min, state.sweep.max, state.sweep.count].join(","));
  }
  q.set("log", state.log ? 1 : 0);
  q.set("speed", state.speed);
  q.set("mb", [state.mb.lr, state.mb.batches.join("+"), state.mb.iterations, state.mb.seed].join(","));
  return q.toString();
}

const num = (v, fallback) => { const x = Number(v); return v !== null && v !== "" && Number.isFinite(x) ? x : fallback; };

// apply a query string onto a default state (unknown or malformed parts are ignored)
export function decode(search, state, optimizers) {
  const q = new URLSearchParams(search);
  if (q.get("view") === "minibatch" || q.get("view") === "race") state.view = q.get("view");
  if (q.has("l")) state.landscape = q.get("l");
  if (q.has("f")) state.formula = q.get("f");
  if (q.has("win")) { const w = q.get("win").split(",").map(Number); if (w.length === 4 && w.every(Number.isFinite)) state.window = w; }
  if (q.has("s")) { const s = q.get("s").split(",").map(Number); if (s.length === 2 && s.every(Number.isFinite)) state.start = s; }
  state.steps = Math.round(num(q.get("n"), state.steps));
  state.noise = num(q.get("noise"), state.noise);
  state.seed = Math.round(num(q.get("seed"), state.seed));
  if (q.get("mode") === "sweep" || q.get("mode") === "race") state.mode = q.get("mode");
  if (q.has("o")) {
    for (const o of Object.values(state.opts)) o.on = false;
    for (const part of q.get("o").split("|").filter(Boolean)) {
      const [name, ...kvs] = part.split(",");
      const o = state.opts[name];
      if (!o) continue;
      o.on = true;
      for (const kv of kvs) {
        const [k, v] = kv.split("=");
        if (k === "lr") o.learning_rate = num(v, o.learning_rate);
        else if (k === "decay") o.decay.kind = v;
        else if (k === "rate") o.decay.rate = num(v, o.decay.rate);
        else if (k === "every") o.decay.every = Math.round(num(v, o.decay.every));
        else if (k in o.params) o.params[k] = num(v, o.params[k]);
      }
    }
  }
  if (q.has("sw")) {
    const [name, min, max, count] = q.get("sw").split(",");
    if (state.opts[name]) state.sweep.name = name;
    state.sweep.min = num(min, state.sweep.min); state.sweep.max = num(max, state.sweep.max);
    state.sweep.count = Math.round(num(count, state.sweep.count));
  }
  if (q.has("log")) state.log = q.get("log") === "1";
  state.speed = num(q.get("speed"), state.speed);
  if (q.has("mb")) {
    const [lr, batches, iterations, seed] = q.get("mb").split(",");
    if (["small", "medium", "large"].includes(lr)) state.mb.lr = lr;
    if (batches) state.mb.batches = batches.split(/[+ ]/).map(Number).filter((b) => [1, 16, 200].includes(b));
    state.mb.iterations = Math.round(num(iterations, state.mb.iterations));
    state.mb.seed = Math.round(num(seed, state.mb.seed));
  }
  return state;
}
