"""No import circle between the package's folders (its rooms: ``autodiff``, ``layers``, ``models``, ``io`` …).

Every ``import`` and ``from … import`` of every module under ``src/rosenblatt`` is read from the source
(ast, nothing is imported), including the imports inside functions: an import deferred to call time to
dodge a circle is still a circle in the design. Each module belongs to the folder (or top-level module)
right under ``rosenblatt``; ``import rosenblatt`` counts as importing every folder that the package's
``__init__`` imports. A circle is a strongly connected set of two or more folders; the message lists the
import lines that make it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


def _module_name(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        names = [f"{target}.{alias.name}" for alias in node.names]
        return names if "." not in target else [target] + names  # `from rosenblatt import x` is x, not the root
    return []


def folder_graph(src: Path, package: str = "rosenblatt") -> dict[str, dict[str, list[str]]]:
    """{folder: {imported folder: ["module.py:line", …]}} for every import between two folders."""
    root = src / package
    records = []  # (from folder, to module, where)
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, src)
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            for target in _imported(node, module, is_package):
                if target == package or target.startswith(package + "."):
                    where = f"{path.relative_to(src).as_posix()}:{node.lineno}"
                    records.append((module.split(".")[1] if "." in module else None, target, where))
    # what `import rosenblatt` brings: the folders the package's __init__ imports
    def is_folder(name):
        return (root / name).is_dir() or (root / f"{name}.py").is_file()

    top = {t.split(".")[1] for f, t, _ in records if f is None and t != package and is_folder(t.split(".")[1])}
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for source, target, where in records:
        if source is None:
            continue
        targets = top if target == package else {target.split(".")[1]}
        for folder in targets:
            if folder != source and is_folder(folder) and where not in graph[source][folder]:
                graph[source][folder].append(where)
    return graph


def circles(graph) -> list[set[str]]:
    """The strongly connected sets of two or more folders (Tarjan's algorithm, iterative)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]
    nodes = set(graph) | {b for a in graph for b in graph[a]}
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter[0]; counter[0] += 1
        stack.append(start); on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop(); on_stack.discard(member); component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(component)
            elif child not in index:
                index[child] = low[child] = counter[0]; counter[0] += 1
                stack.append(child); on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def _describe(graph, component) -> str:
    lines = []
    for a in sorted(component):
        for b in sorted(set(graph[a]) & component):
            lines.append(f"  {a} -> {b}: " + ", ".join(graph[a][b]))
    return "\n".join(lines)


# The saving knot is untied: io/ is the file format only (archive, atomic writes, errors), models/ owns the model
# side (models/config.py, models/saving.py, models/training_state.py) and calls io/, and training/ reaches the
# model only through its methods (BackupAndRestore calls model._save_training_state). No circle is allowed.


def test_no_import_circle_between_folders():
    graph = folder_graph(SRC)
    found = circles(graph)
    assert not found, "import circles between folders:\n" + "\n".join(_describe(graph, c) for c in found)


def test_the_walk_finds_a_circle_and_its_lines(tmp_path):
    """The check can fail: a made-up package whose a/ imports b/ at the top and b/ imports a/ in a function."""
    pkg = tmp_path / "rosenblatt"
    for folder in ("a", "b", "c"):
        (pkg / folder).mkdir(parents=True)
    (pkg / "__init__.py").write_text("from rosenblatt import a, b, c\n")
    (pkg / "a" / "__init__.py").write_text("from rosenblatt.b.thing import x\n")
    (pkg / "b" / "__init__.py").write_text("")
    (pkg / "b" / "thing.py").write_text("x = 1\n\ndef f():\n    from ..a import y\n    return y\n")
    (pkg / "c" / "__init__.py").write_text("import rosenblatt\nfrom . import helper\n")
    (pkg / "c" / "helper.py").write_text("from rosenblatt.a import y\n")
    graph = folder_graph(tmp_path)
    assert circles(graph) == [{"a", "b"}] or sorted(map(sorted, circles(graph))) == [["a", "b"]]
    assert graph["b"]["a"] == ["rosenblatt/b/thing.py:4"]
    assert set(graph["c"]) == {"a", "b"}     # `import rosenblatt` is every folder __init__ imports; c only once


def test_the_package_graph_is_read():
    """The walk sees the house: autodiff is imported by the network, and imports none of it."""
    graph = folder_graph(SRC)
    assert "autodiff" in graph["layers"] and "autodiff" in graph["losses"]
    assert not set(graph.get("autodiff", {})) & {"layers", "models", "losses", "training", "io", "apps"}


def test_the_package_imports_nothing_from_the_checkout():
    """``benchmarks/``, ``tests/``, ``notebooks/`` and ``docs/`` are not installed: no module of the package may
    import them (``rosenblatt bench`` runs the benchmarks as a child process instead)."""
    outside = {"benchmarks", "tests", "notebooks", "docs"}
    found = []
    for path in sorted((SRC / "rosenblatt").rglob("*.py")):
        module = _module_name(path, SRC)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.ImportFrom) and node.level:
                continue
            for target in _imported(node, module, path.name == "__init__.py"):
                if target.split(".")[0] in outside:
                    found.append(f"{path.relative_to(SRC).as_posix()}:{node.lineno} imports {target}")
    assert not found, "\n".join(found)
