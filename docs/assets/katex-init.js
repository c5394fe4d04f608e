// Render the $$…$$ and \(…\) that pymdownx.arithmatex leaves in <span/div class="arithmatex">,
// with the KaTeX served from assets/katex/ (no CDN). Material's instant navigation calls document$.
function renderMath() {
  document.querySelectorAll(".arithmatex").forEach(function (el) {
    renderMathInElement(el, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: true,
    });
  });
}
if (typeof document$ !== "undefined") { document$.subscribe(renderMath); } else {
  document.addEventListener("DOMContentLoaded", renderMath);
}
