"""The main job: `rosenblatt` trains linear and ReLU networks on the built-in points."""

import pytest

from rosenblatt.apps import demo
from rosenblatt.apps.cli import main


def test_relu_beats_linear_on_the_default_set():
    lines = []
    results = demo.run(epochs=40, verbose=False, out=lines.append)
    assert results["relu"][1] > 0.97
    assert 0.4 < results["linear"][1] < 0.6
    assert any("relu activations" in l for l in lines)


def test_command_line_default_and_plot(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    plot = tmp_path / "b.png"
    assert main(["--epochs", "5", "--quiet", "--dataset", "xor", "--plot", str(plot)]) == 0
    assert plot.stat().st_size > 1000
    assert "linear activations" in capsys.readouterr().out


def test_bad_epochs_is_an_error(capsys):
    with pytest.raises(SystemExit):
        main(["demo", "--epochs", "0"])
    assert "--epochs" in capsys.readouterr().err



def test_bench_outside_a_checkout_says_where_to_run_it(tmp_path):
    import subprocess
    import sys

    # an installed copy: no benchmarks package beside it (a checkout's is found from the package, from any folder)
    run = subprocess.run([sys.executable, "-c", "import sys; sys.modules['benchmarks'] = None; "
                          "from rosenblatt.apps import cli; cli._checkout = lambda: __import__('pathlib').Path('.'); "
                          "sys.exit(cli.main(['bench', '--quick']))"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 2
    assert "source checkout" in run.stderr and 'pip install -e ".[bench]"' in run.stderr
