"""The page in real headless Chromium (Debian's, driven by Playwright): it loads, draws and restores itself.

Needs /usr/bin/chromium (``.ci/run`` installs it with apt). With ``PLAYGROUND_SCREENSHOTS=docs`` the
screenshots of both views are written to docs/ for the README; otherwise to a temporary folder.
"""

import json
import os
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        yield browser
        browser.close()


class Page:
    """A page with every console message, page error and request recorded; requests off 127.0.0.1 are refused."""

    def __init__(self, browser, url, **context):
        self.context = browser.new_context(viewport={"width": 1600, "height": 1000}, **context)
        self.page = self.context.new_page()
        self.errors, self.requests, self.outside = [], [], []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.open(url)

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if urlparse(url).hostname != "127.0.0.1" and not url.startswith(("data:", "blob:")):
            self.outside.append(url)
            return route.abort()
        return route.continue_()

    def open(self, url):
        self.page.goto(url)
        self.page.wait_for_function("window.__playground && window.__playground.ready", timeout=30000)
        self.settle()

    def settle(self):
        """Wait until no computation is pending and the last answer has been drawn."""
        self.page.wait_for_timeout(250)
        self.page.wait_for_function("!window.__playground.busy", timeout=30000)
        self.page.wait_for_timeout(100)

    def js(self, expression):
        return self.page.evaluate(expression)

    def close(self):
        self.context.close()


@pytest.fixture
def page(browser, server_url):
    page = Page(browser, server_url + "/")
    yield page
    assert page.outside == [], page.outside
    page.close()


# a copy of the map to read pixels from (reading the page's own canvas would make Chrome warn)
PIXELS = ("(() => { const m = document.getElementById('map'), c = document.createElement('canvas'); "
          "c.width = m.width; c.height = m.height; const x = c.getContext('2d', {willReadFrequently: true}); "
          "x.drawImage(m, 0, 0); return x; })()")


def api(server_url, path, body):
    request = urllib.request.Request(server_url + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request, timeout=60).read())


def test_the_page_loads_with_no_console_error_and_nothing_from_outside(page, server_url):
    assert page.errors == []
    assert page.requests and all(urlparse(u).hostname == "127.0.0.1" for u in page.requests)
    assert page.js("window.__playground.results.length") == 4          # the default race: GD, Momentum, RMSprop, Adam
    assert page.js("document.querySelectorAll('#legend div').length") == 5
    assert page.js("document.querySelectorAll('#results tbody tr').length") == 4
    assert "(1 - w1)^2 + 100*(w2 - w1^2)^2" in page.page.text_content("#formula")
    fonts = page.js("document.fonts.size")
    assert fonts == 0  # no web font: system fonts only


def test_dragging_the_dot_moves_the_start(page):
    start = page.js("window.__playground.state.start")
    x, y = page.js(f"window.__playground.pixelOf({start[0]}, {start[1]})")
    tx, ty = page.js("window.__playground.pixelOf(0.5, -0.5)")
    mouse = page.page.mouse
    mouse.move(x, y)
    mouse.down()
    for k in range(1, 11):
        mouse.move(x + (tx - x) * k / 10, y + (ty - y) * k / 10)
    mouse.up()
    page.settle()
    new = page.js("window.__playground.state.start")
    assert new != start and new == pytest.approx([0.5, -0.5], abs=0.02)
    assert page.js("window.__playground.results.map(r => r.path[0])") == [new] * 4
    assert page.page.input_value("#start-w1") == str(new[0]) and "s=0.5" in page.page.url.replace("%2C", ",")
    assert page.errors == []


def test_a_touch_sets_the_start_too(browser, server_url):
    page = Page(browser, server_url + "/", has_touch=True)
    x, y = page.js("window.__playground.pixelOf(-1.5, 2.5)")
    page.page.touchscreen.tap(x, y)
    page.settle()
    assert page.js("window.__playground.state.start") == pytest.approx([-1.5, 2.5], abs=0.02)
    assert page.errors == [] and page.outside == []
    page.close()


def test_typing_coordinates_sets_the_start(page):
    page.page.fill("#start-w1", "0.25")
    page.page.dispatch_event("#start-w1", "change")
    page.page.fill("#start-w2", "-0.75")
    page.page.dispatch_event("#start-w2", "change")
    page.settle()
    assert page.js("window.__playground.results[0].path[0]") == [0.25, -0.75]


def test_two_ticked_optimizers_play_and_end_where_the_api_says(page, server_url):
    for name in ("gd", "momentum", "rmsprop", "adam"):
        page.page.uncheck(f"#on-{name}")
    page.page.check("#on-nesterov")
    page.page.check("#on-adam")
    page.settle()
    page.page.click("#reset")
    assert page.js("window.__playground.frame") == 0
    page.page.click("#play")
    page.page.wait_for_function("window.__playground.playing", timeout=5000)
    page.page.wait_for_function("!window.__playground.playing "
                                "&& window.__playground.frame === window.__playground.maxFrame", timeout=30000)
    results = page.js("window.__playground.results")
    assert [r["name"] for r in results] == ["nesterov", "adam"]
    body = page.js("(() => { const s = window.__playground.state; return {landscape: s.landscape, start: s.start, "
                   "steps: s.steps, optimizers: ['nesterov', 'adam'].map(n => ({name: n, "
                   "learning_rate: s.opts[n].learning_rate}))}; })()")
    expected = api(server_url, "/api/trajectories", body)["results"]
    for got, want in zip(results, expected):
        assert got["path"][-1] == want["path"][-1] and len(got["path"]) == len(want["path"])
    # each path's end marker is drawn in its colour
    for result in results:
        x, y = page.js(f"window.__playground.pixelOf({result['path'][-1][0]}, {result['path'][-1][1]})")
        script = f"""(() => {{ const c = document.getElementById('map'), r = c.getBoundingClientRect();
            const d = c.width / r.width;
            return Array.from(pixels().getImageData(({x} - r.left) * d, ({y} - r.top) * d, 1, 1).data); }})()"""
        colour = page.js(script.replace("pixels()", PIXELS))
        want = [int(result["colour"][i:i + 2], 16) for i in (1, 3, 5)]
        assert colour[:3] == pytest.approx(want, abs=3), (result["name"], colour, want)
    assert page.js("document.querySelectorAll('#legend div').length") == 3
    assert page.page.text_content("#frame").startswith(f"t = {len(results[0]['path']) - 1}")


def test_step_and_inside_this_step(page):
    page.page.click("#reset")
    for _ in range(3):
        page.page.click("#step")
    page.settle()
    page.page.wait_for_function("window.__playground.inside && window.__playground.inside.t === 3", timeout=10000)
    text = page.page.text_content("#inside")
    assert "v_dW" in text and "s_dW" in text and "η after decay" in text
    adam = page.js("window.__playground.inside.rows.find(r => r.label === 'Adam').inside")
    assert adam["t"] == 3 and adam["W"] == page.js("window.__playground.results.find(r => r.name === 'adam').path[3]")
    page.page.fill("#scrub", "120")   # choose the iteration with the slider
    page.page.wait_for_function("window.__playground.inside && window.__playground.inside.t === 120", timeout=10000)
    assert page.js("window.__playground.frame") == 120 and page.page.text_content("#frame").startswith("t = 120")
    assert "Inside step t = 120" in page.page.text_content("#inside-title")


def canvas_digest(page):
    return page.js("(() => { const c = document.getElementById('map'); const d = " + PIXELS +
                   ".getImageData(0, 0, c.width, c.height).data; let h = 0; for (let i = 0; i < d.length; i += 97) "
                   "h = (h * 31 + d[i]) >>> 0; return h; })()")


def test_changing_landscape_redraws_the_map(page):
    before = canvas_digest(page)
    page.page.select_option("#landscape", "himmelblau")
    page.page.wait_for_function("window.__playground.surface.name === 'himmelblau'", timeout=10000)
    page.settle()
    assert canvas_digest(page) != before
    assert "(w1^2 + w2 - 11)^2" in page.page.text_content("#formula")
    assert page.js("window.__playground.results[0].path[0]") == [-0.3, 0.2]   # the landscape's own start
    assert page.js("window.__playground.surface.minima.length") == 4
    assert page.errors == []


def test_a_custom_formula_is_drawn_and_a_bad_one_explained(page):
    page.page.select_option("#landscape", "custom")
    page.page.fill("#custom-formula", "w1^2 + 5*w2^2 + sin(3*w1)")
    page.page.dispatch_event("#custom-formula", "change")
    page.page.wait_for_function("window.__playground.surface.formula === 'w1^2 + 5*w2^2 + sin(3*w1)'", timeout=10000)
    page.settle()
    assert page.js("window.__playground.results.length") == 4
    page.page.fill("#custom-formula", "w1^2 + os.system(1)")
    page.page.dispatch_event("#custom-formula", "change")
    page.page.wait_for_function("document.getElementById('custom-error').textContent.length > 0", timeout=10000)
    assert "unexpected character" in page.page.text_content("#custom-error")


def test_a_shared_url_restores_the_setup(browser, page, server_url):
    page.page.select_option("#landscape", "beale")
    page.settle()
    page.page.fill('.opt[data-name="adam"] [data-role="lr"]', "0.03")
    page.page.dispatch_event('.opt[data-name="adam"] [data-role="lr"]', "change")
    page.page.select_option('.opt[data-name="adam"] [data-role="decay"]', "exponential")
    page.page.check("#on-adadelta")
    page.page.fill("#noise", "0.5")
    page.page.dispatch_event("#noise", "change")
    page.page.fill("#start-w1", "-1.5")
    page.page.dispatch_event("#start-w1", "change")
    page.page.uncheck("#logscale")
    page.settle()
    url = page.page.url
    state = page.js("JSON.stringify(window.__playground.state)")
    paths = page.js("window.__playground.results.map(r => r.path)")
    other = Page(browser, url)
    assert other.js("JSON.stringify(window.__playground.state)") == state
    assert other.js("window.__playground.results.map(r => r.path)") == paths
    assert other.page.input_value("#landscape") == "beale" and not other.page.is_checked("#logscale")
    assert other.errors == [] and other.outside == []
    other.close()


def test_the_sweep_draws_a_fan_and_a_final_cost_plot(page):
    page.page.check('input[name="mode"][value="sweep"]')
    page.settle()
    results = page.js("window.__playground.results")
    assert len(results) == 12 and page.js("window.__playground.etas.length") == 12
    assert any(r["diverged"] for r in results) and not results[0]["diverged"]   # the default range reaches divergence
    assert page.page.is_visible("#eta-chart")
    assert "diverged" in page.page.text_content("#legend")


def test_copy_as_python_and_downloads(page):
    page.page.click("#python")
    page.page.wait_for_function("window.__playground.copied", timeout=10000)
    code = page.js("window.__playground.copied")
    assert "optimizers.trajectory(" in code and 'LANDSCAPES["rosenbrock"]' in code
    with page.page.expect_download() as info:
        page.page.click("#download-csv")
    text = Path(info.value.path()).read_text()
    assert text.startswith("optimizer,step,w1,w2,J") and len(text.splitlines()) == 1 + 4 * 301
    with page.page.expect_download() as info:
        page.page.click("#download-json")
    data = json.loads(Path(info.value.path()).read_text())
    assert len(data["results"]) == 4 and data["request"]["landscape"] == "rosenbrock"


def test_the_minibatch_view_is_noisier_for_batch_one(page):
    page.page.click("#tab-minibatch")
    page.page.wait_for_function("window.__playground.mb.runs.length === 3", timeout=20000)
    page.page.wait_for_timeout(300)
    rough = page.js("Object.fromEntries(window.__playground.mb.runs.map(r => "
                    "[r.batch_size, window.__playground.mb.roughness(r.batch_cost)]))")
    assert rough["1"] > 3 * rough["16"] > 9 * rough["200"]
    assert "view=minibatch" in page.page.url
    assert page.errors == []


def test_screenshots_of_both_views(browser, server_url, tmp_path):
    folder = ROOT / "docs" if os.environ.get("PLAYGROUND_SCREENSHOTS") == "docs" else tmp_path
    race = Page(browser, server_url + "/?view=race&l=rosenbrock&s=-1.2,1&n=300&mode=race"
                "&o=gd,lr=0.001|momentum,lr=0.005|nesterov,lr=0.001|rmsprop,lr=0.02|adam,lr=0.02&log=1")
    race.page.click("#step")
    race.page.wait_for_function("window.__playground.inside", timeout=10000)
    race.page.click("#reset")
    race.page.evaluate("window.__playground.frame = 300")  # the whole paths, with step 1's inside
    race.page.click("#step")
    race.settle()
    race.page.screenshot(path=str(folder / "playground_race.png"), full_page=True)
    race.page.goto(server_url + "/?view=minibatch&mb=medium,1+16+200,200,0")
    race.page.wait_for_function("window.__playground.mb && window.__playground.mb.runs.length === 3", timeout=20000)
    race.page.wait_for_timeout(400)
    race.page.screenshot(path=str(folder / "playground_minibatch.png"), full_page=True)
    assert (folder / "playground_race.png").stat().st_size > 50_000
    assert race.errors == [] and race.outside == []
    race.close()
