"""What a newcomer reads before anything runs: the README's install and data steps, and every install hint."""

import re
from pathlib import Path

import rosenblatt.autodiff.tape

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title):
    start = README.index(f"\n## {title}")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def test_quick_start_clones_first_and_says_how_to_get_the_cpu_wheel_and_what_is_skipped():
    quick = section("Quick start")
    assert quick.index("git clone") < quick.index("<!-- main-command -->")
    assert "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu" in quick
    assert "Without PyTorch" in quick and "skips" in quick


def test_every_install_hint_is_the_checkout_form_quoted():
    # rosenblatt is not on the public index, so installing it by name cannot work; the form is pip install -e ".[x]"
    files = [p for folder in ("src", "benchmarks", "tests", "notebooks") for p in (ROOT / folder).rglob("*.py")] + [ROOT / "README.md"]
    bad = []
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""pip install ['"]?rosenblatt|pip install -e '\.\[|pip install -e \.\[""", line) \
                    and "re.search" not in line:
                bad.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not bad, "\n".join(bad)


def test_the_cat_section_sets_the_data_once_for_every_command():
    cats = section("Cat vs non-cat")
    assert "mkdir -p ~/.cache/rosenblatt/catvnoncat" in cats and "export ROSENBLATT_DATA=" in cats
    assert "Deep Learning Specialization" in cats and "Neural Networks and Deep Learning" in cats
    commands = [line for line in cats.splitlines() if line.startswith("rosenblatt cats ")]
    assert len(commands) >= 7
    # only a file of one's own needs --data; the course's files are found by every command
    assert all("--data" not in line for line in commands if "mine.h5" not in line), commands


def test_the_lecture_table_difference_is_explained_with_both_values():
    doc = rosenblatt.autodiff.tape.__doc__
    assert "0.00246651" in doc and "0.00246653" in doc and "float32" in doc


def test_the_readme_training_loop_defines_what_it_uses():
    taste = section("A taste")
    loop = taste[taste.index("The lecture's training loop"):]
    block = re.search(r"```python\n(.*?)```", loop, flags=re.S).group(1)
    for name in ("model =", "loss =", "optimizer =", "x, y ="):
        assert name in block  # and tests/test_readme.py runs it
