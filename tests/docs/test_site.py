"""The documentation site: ``mkdocs build --strict`` passes, and the built site works in a browser.

The build fails on a broken link, a missing page in the nav, an API reference to a name that does not
exist, or a docstring griffe cannot read. Then the site is served on 127.0.0.1 and opened in headless
Chromium (Debian's ``/usr/bin/chromium`` through Playwright): the home page and an API page render, KaTeX
typesets their equations, no console error is printed and no request leaves 127.0.0.1 (no CDN, no web
font). Needs the ``docs`` extra; the browser part is skipped without Playwright or Chromium.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("ROSENBLATT_CHROMIUM", "/usr/bin/chromium")

pytest.importorskip("mkdocs")
pytest.importorskip("mkdocstrings")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"mkdocs build --strict failed:\n{run.stdout}\n{run.stderr}"
    return out


def test_build_strict_makes_every_page(site):
    for page in ["index.html", "getting-started/index.html", "api/optimizers/index.html",
                 "guides/gradient-tape/index.html", "from-pytorch/index.html", "design/index.html"]:
        assert (site / page).is_file(), page
    # the README's pictures keep their paths
    for picture in ["bench_cat_batch.png", "figures_learning_rates.png", "figures_perceptron.png"]:
        assert (ROOT / "docs" / picture).is_file() and (site / picture).is_file()


def test_api_reference_is_generated_from_the_docstrings(site):
    html = (site / "api" / "optimizers" / "index.html").read_text(encoding="utf-8")
    assert "v_dW = β1 v_dW + (1 − β1) dW" in html          # Adam's docstring, its equations as written
    data = (site / "api" / "data" / "index.html").read_text(encoding="utf-8")
    assert '<span class="gp">&gt;&gt;&gt; </span>' in data   # doctests highlighted as pycon (docs/griffe_doctests.py)
    assert "Could not find" not in data


def test_strict_build_fails_on_a_broken_link(tmp_path):
    """The check can fail: a copy of the docs with one dead link does not build."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "design.md").write_text("# Design\n\nSee [nowhere](no-such-page.md).\n", encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("paths: [src]", f"paths: [{ROOT / 'src'}]")
    config = config.replace("docs/griffe_doctests.py", str(docs / "griffe_doctests.py"))
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "s")],
                         cwd=tmp_path, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                         capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert "no-such-page.md" in run.stdout + run.stderr


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set ROSENBLATT_CHROMIUM)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--headless", "--no-sandbox"])
        yield browser
        browser.close()


def _open(browser, url):
    """Load ``url``; return the page, its console errors, the requests that left 127.0.0.1 and failed ones."""
    page = browser.new_page()
    errors, outside, failed = [], [], []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.on("response", lambda resp: failed.append(f"{resp.status} {resp.url}") if resp.status >= 400 else None)

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="networkidle")
    return page, errors, outside, failed


@pytest.mark.parametrize("path, text", [("/", "rosenblatt"), ("/api/optimizers/", "Adam")])
def test_page_renders_in_chromium_with_local_math(browser, server, path, text):
    page, errors, outside, failed = _open(browser, server + path)
    try:
        assert text in page.title() + page.inner_text("article")
        assert errors == [], errors
        assert outside == [], f"requests leaving 127.0.0.1: {outside}"
        assert failed == [], failed
        # KaTeX ran on the page's equations, with its fonts from the site
        assert page.locator(".arithmatex .katex").count() >= 1
        assert page.locator(".arithmatex .katex-error").count() == 0
    finally:
        page.close()


# The public names each API page must show (its module's __all__, less what is documented elsewhere or is not
# an API of its own: constants, the re-exported schedules module, serialisation helpers).
API_PAGES = {
    "layers": ("rosenblatt.layers", set()),
    "models": ("rosenblatt.models", set()),
    "optimizers": ("rosenblatt.optimizers", {"schedules", "serialize", "deserialize"}),
    "schedules": ("rosenblatt.schedules", set()),
    "io": ("rosenblatt.io", set()),
    "training": ("rosenblatt.training", set()),
}


@pytest.mark.parametrize("page", sorted(API_PAGES))
def test_every_public_name_is_in_the_api_reference(site, page):
    """A name added to a module's ``__all__`` and forgotten in ``docs/api/`` fails here."""
    import importlib

    module_name, exempt = API_PAGES[page]
    module = importlib.import_module(module_name)
    html = (site / "api" / page / "index.html").read_text(encoding="utf-8")
    # an alias (AvgPool2D for AveragePooling2D) is documented under the name it aliases
    aliases = {name for name in module.__all__
               if getattr(getattr(module, name), "__name__", name) not in (name, None)
               and getattr(module, name).__name__ in module.__all__}
    # a function named as its own module (optimizers.trajectory, training.fit) is documented by its full path
    missing = [name for name in module.__all__ if name not in exempt | aliases
               and f'id="{module_name}.{name}"' not in html and f'id="{module_name}.{name}.{name}"' not in html]
    assert not missing, f"docs/api/{page}.md lacks {missing} (add them to its ::: block)"


def test_the_readme_links_lead_somewhere():
    """The README is the front door: every relative link in it (into docs/, CONTRIBUTING.md, …) is a file."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = [target.split("#")[0] for target in re.findall(r"\]\(([^)\s]+)\)", readme)
             if not target.startswith(("http://", "https://", "#", "mailto:"))]
    assert links, "the README links nowhere"
    missing = [link for link in links if not (ROOT / link).exists()]
    assert not missing, f"README links to missing files: {missing}"
