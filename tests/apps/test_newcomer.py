"""A newcomer's first steps, through the installed command (subprocess): exit status and first line."""

import os
import subprocess
import sys

import pytest

from rosenblatt.datasets import catvnoncat

h5py = pytest.importorskip("h5py")


def run(*argv, env=None, cwd=None, beside_checkout=True):
    """``rosenblatt ARGV`` in a fresh process; ``beside_checkout=False`` hides ../shared/data beside this checkout,
    as for a user whose checkout has no such neighbour."""
    environment = {**os.environ, **(env or {})}
    hide = "" if beside_checkout else "import rosenblatt.datasets.catvnoncat as c; c.checkout_folder = lambda: None; "
    code = f"import sys; {hide}from rosenblatt.apps.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                          env=environment, cwd=cwd, timeout=120)
    return done.returncode, done.stdout, done.stderr


def test_missing_data_names_the_course_and_gives_command_line_advice(tmp_path):
    status, _, err = run("cats", "train", "--epochs", "1", "--data", str(tmp_path), cwd=tmp_path)
    assert status == 2 and "Traceback" not in err
    assert err.splitlines()[0].startswith("rosenblatt cats: cat vs non-cat data not found")
    assert "Neural Networks and Deep Learning" in err and "Deep Learning Specialization" in err
    assert "load_data(" not in err and "--data FOLDER" in err and "export ROSENBLATT_DATA=" in err


@pytest.mark.parametrize("what, content, expected", [
    ("an empty .h5", b"", "could not be read as HDF5"),
    ("a file that is not HDF5", b"just some text\n" * 10, "could not be read as HDF5"),
])
def test_a_bad_data_file_is_one_line_and_status_2(tmp_path, what, content, expected):
    (tmp_path / "mine.h5").write_bytes(content)
    status, out, err = run("cats", "train", "--epochs", "1", "--data", str(tmp_path / "mine.h5"), cwd=tmp_path)
    assert status == 2, what
    assert len(err.strip().splitlines()) == 1 and expected in err and "Traceback" not in err


def test_a_wrong_checksum_is_one_line_without_a_flag_that_does_not_exist(tmp_path):
    for name in catvnoncat.FILES.values():
        (tmp_path / name).write_bytes(b"\x89HDF\r\n\x1a\n not the course's bytes")
    for command in (["train", "--epochs", "1"], ["reproduce"], ["evaluate", "m.npz"], ["mislabeled", "m.npz"]):
        status, _, err = run("cats", *command, "--data", str(tmp_path), *(["--out", "x.png"] if "mislabeled" in command else []),
                             cwd=tmp_path)
        assert status == 2, command
        if command[0] in ("train", "reproduce"):
            assert len(err.strip().splitlines()) == 1 and "SHA-256" in err and "Traceback" not in err
            assert "verify=False" not in err and "--data" in err


def test_the_data_set_once_serves_every_command(tmp_path):
    # the README's way: the files in the user cache folder (here through XDG_CACHE_HOME), then no --data anywhere
    real = catvnoncat.find_data()
    if real is None:
        pytest.skip("the cat data is not on rosenblatt's search path")
    cache = tmp_path / "cache" / "rosenblatt" / "catvnoncat"
    cache.mkdir(parents=True)
    for name in catvnoncat.FILES.values():
        (cache / name).symlink_to((real / name).resolve())
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "ROSENBLATT_DATA": ""}
    status, out, err = run("cats", "train", "--epochs", "1", "--layers", "4", "--members", "1", "--out", "m.npz",
                           env=env, cwd=tmp_path, beside_checkout=False)
    assert status == 0, err
    status, out, err = run("cats", "evaluate", "m.npz", env=env, cwd=tmp_path, beside_checkout=False)
    assert status == 0, err
    assert "/209" in out and "/50" in out
    # and without the cache, the same command says what to do, in the command line's words
    status, _, err = run("cats", "evaluate", "m.npz", env={"XDG_CACHE_HOME": str(tmp_path / "none"),
                                                           "ROSENBLATT_DATA": ""}, cwd=tmp_path, beside_checkout=False)
    assert status == 2 and "mkdir -p" in err and "--data FOLDER" in err


def _parsers(parser, name="rosenblatt"):
    import argparse

    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _parsers(sub, f"{name} {sub_name}")


def test_every_option_has_a_description_and_its_default():
    from benchmarks.__main__ import _parser as bench_parser
    from rosenblatt.apps.cli import build_parser

    checked = 0
    for name, parser in [*_parsers(build_parser()), ("rosenblatt bench (the checkout's)", bench_parser())]:
        formatter = parser._get_formatter()
        for action in parser._actions:
            if action.dest == "help" or not action.option_strings:
                continue
            assert action.help, f"{name} {action.option_strings[0]} has no description"
            flag = action.nargs == 0
            if not flag and not action.required:
                assert "default" in formatter._get_help_string(action) % vars(action), \
                    f"{name} {action.option_strings[0]} does not say its default"
            checked += 1
    assert checked >= 40


@pytest.mark.parametrize("command", [["demo"], ["cats", "train"], ["cats", "reproduce"], ["bench"]])
def test_long_commands_say_how_long_they_take(command, capsys):
    from rosenblatt.apps.cli import build_parser

    parser = dict(_parsers(build_parser()))["rosenblatt " + " ".join(command)]
    import re

    assert re.search(r"about \d+ (s|minutes?)\b", parser.description), parser.description


def test_the_main_help_shows_the_demo_options_such_as_plot():
    status, out, _ = run("--help")
    assert status == 0 and out.splitlines()[0].startswith("usage: rosenblatt")
    assert "--plot FILE.png" in out and "(default: 100)" in out


def test_bench_help_outside_a_checkout(tmp_path):
    # no benchmarks package to import, as in an installed copy: the help still answers, with the way to get them
    code = ("import sys; sys.modules['benchmarks'] = None; from rosenblatt.apps import cli; "
            "cli._checkout = lambda: __import__('pathlib').Path('.'); sys.exit(cli.main(['bench', '--help']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("usage: rosenblatt bench")
    assert 'pip install -e ".[bench]"' in done.stdout and "checkout" in done.stdout
    code = code.replace("'--help'", "'--quick'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("rosenblatt bench: the benchmarks are not installed")


def test_bench_help_from_a_checkout_lists_the_benchmarks_options(tmp_path):
    status, out, _ = run("bench", "--help", cwd=tmp_path)  # any folder: the checkout is found from the package
    assert status == 0 and "--quick" in out and "(default: 5" in out.replace("default 5", "default: 5")
