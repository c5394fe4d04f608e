"""``rosenblatt playground``: its options, their defaults in --help, a clear error for a bad port."""

import pytest

from rosenblatt.apps.cli import main


def test_help_shows_the_defaults(capsys):
    with pytest.raises(SystemExit) as info:
        main(["playground", "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    assert "--port" in text and "(default: 8000)" in text and "(default: 127.0.0.1)" in text and "--no-browser" in text


def test_a_bad_port_is_a_clear_error(capsys):
    assert main(["playground", "--port", "70000", "--no-browser"]) == 2
    assert "--port must be in 0 … 65535, got 70000" in capsys.readouterr().err


def test_the_server_binds_to_loopback_by_default():
    import argparse

    from rosenblatt.apps import playground

    parser = argparse.ArgumentParser()
    playground.add_parser(parser.add_subparsers())
    args = parser.parse_args(["playground"])
    assert (args.host, args.port, args.no_browser) == ("127.0.0.1", 8000, False)


def test_every_static_file_ships_in_the_wheel():
    import fnmatch
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"][
        "rosenblatt.apps.playground"]
    package = root / "src" / "rosenblatt" / "apps" / "playground"
    files = [p.relative_to(package).as_posix() for p in (package / "static").rglob("*") if p.is_file()]
    assert files and all(any(fnmatch.fnmatch(f, pattern) for pattern in patterns) for f in files), files


def test_the_benchmark_runs():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, "-m", "benchmarks.playground", "--rounds", "1"], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "rosenblatt race" in done.stdout and "rosenblatt request" in done.stdout and "target:" in done.stdout


def test_without_the_extra_it_says_how_to_install_it(monkeypatch, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn now fails, as without the extra
    assert main(["playground", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "uvicorn is missing" in err and 'pip install -e ".[playground]"' in err
