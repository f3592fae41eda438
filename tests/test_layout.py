"""The package's layout, held: each stage imports only the stages below it,
no module imports itself back through others, and no module, class or
function grows past the sizes a reader can hold (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "vaultokr"

# The stages, lowest first: a module may import from its own stage and from
# the stages before it, never from one after it. The top-level modules (the
# CLI and its entry points) come last and may import anything.
STAGES = ["core", "syntax", "model", "config", "read", "load", "compute",
          "views", "reviews", "write", "cache", "run", "commands"]
TOP = {"__init__", "__main__", "cli", "clidoc"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The vaultokr modules this module imports, anywhere in it (inside
    functions too: an import there must follow the same direction)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                target = f"{source}.{alias.name}"
                found.add(target if target in known else source)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {f for f in found if f in known and f != name and f != "vaultokr"}


def stage(name: str) -> int:
    parts = name.split(".")
    if len(parts) == 1 or parts[1] in TOP:
        return len(STAGES)
    return STAGES.index(parts[1])


GRAPH = {name: imports(name, path, modules()) for name, path in modules().items()}


def test_every_subpackage_is_a_stage_and_the_top_holds_a_handful_of_modules() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders <= set(STAGES) | {"templates"}
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == TOP


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_a_module_imports_only_its_own_stage_and_the_stages_below(name: str) -> None:
    upward = sorted(t for t in GRAPH[name] if stage(t) > stage(name))
    assert not upward, f"{name} imports from a later stage: {upward}"


def test_no_module_imports_itself_back_through_others() -> None:
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert not cycles


def sizes() -> list[tuple[str, str, int, int]]:
    found = []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        found.append(("module", name, len(text.splitlines()), 400))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                found.append(("class", f"{name}.{node.name}",
                              (node.end_lineno or 0) - node.lineno + 1, 250))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append(("function", f"{name}.{node.name}",
                              (node.end_lineno or 0) - node.lineno + 1, 60))
    return found


def test_no_module_class_or_function_is_too_long_to_read() -> None:
    over = [f"{kind} {name}: {lines} lines (at most {limit})"
            for kind, name, lines, limit in sizes() if lines > limit]
    assert not over, "\n".join(over)


def test_the_size_check_sees_an_overlong_function(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(70))
    tree = ast.parse(f"def f():\n{body}\n")
    node = tree.body[0]
    assert (node.end_lineno or 0) - node.lineno + 1 > 60


# ------------------------------------------------------------------ tests
TESTS = Path(__file__).resolve().parent


def forbidden_imports(source: str) -> list[str]:
    """The modules a test file imports that it must not: another test module
    (``test_*``) or a conftest; shared helpers live in tests/support/."""
    wrong = []
    for node in ast.walk(ast.parse(source)):
        names = ([alias.name for alias in node.names] if isinstance(node, ast.Import) else
                 [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        if isinstance(node, ast.ImportFrom):  # from tests import test_x, from . import conftest
            names += [f"{node.module or ''}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if any(p.startswith("test_") or p == "conftest" for p in parts):
                wrong.append(name)
    return sorted(set(wrong))


def test_no_test_module_imports_another_or_a_conftest() -> None:
    found = {path.relative_to(TESTS).as_posix(): forbidden_imports(path.read_text("utf-8"))
             for path in sorted(TESTS.rglob("*.py"))}
    assert {path: names for path, names in found.items() if names} == {}


@pytest.mark.parametrize("line", [
    "from test_build import strip_outputs", "from tests.test_index import okrs",
    "import test_watch", "from tests.conftest import SAMPLE", "from conftest import kr",
    "from tests import test_answers", "from . import conftest",
    "def f():\n    from test_watch import settle",
])
def test_the_import_check_sees_a_test_module_imported(line: str) -> None:
    assert forbidden_imports(line) != []


def test_the_import_check_lets_support_be_imported() -> None:
    assert forbidden_imports("from support.vaults import kr\nimport pytest\n") == []


def test_test_modules_have_unique_names() -> None:
    """pytest imports test modules by their base name (rootdir-relative
    "prepend" import mode, no __init__.py in the test folders)."""
    names = [path.name for path in TESTS.rglob("test_*.py") if path.parent.name != "support"]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
