// The page's one shared state: what the server answered and where the animation is (also read by the tests).

export const $ = (id) => document.getElementById(id);

export const app = {
  landscapes: {}, optimizers: [], state: null, results: [], etas: null, frame: 0, playing: false,
  surface: null, mapImage: null, levels: null, requestId: 0, surfaceId: 0, inside: null, busy: false,
};
window.__playground = app;
