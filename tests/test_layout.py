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


# Still too long, each at most its size here: the list only shrinks (a piece
# that fits its limit must leave it, one that grows fails).
NOT_YET = {
    "class vaultokr.run.build.Builder": 292,
    "module vaultokr.run.pipeline": 458,
    "class vaultokr.run.pipeline.Pipeline": 363,
}


def test_no_module_class_or_function_is_too_long_to_read() -> None:
    measured = {f"{kind} {name}": (lines, limit) for kind, name, lines, limit in sizes()}
    over = [f"{key}: {lines} lines (at most {NOT_YET.get(key, limit)})"
            for key, (lines, limit) in measured.items() if lines > NOT_YET.get(key, limit)]
    assert not over, "\n".join(over)
    fits = [key for key in NOT_YET if key not in measured or
            measured[key][0] <= measured[key][1]]
    assert not fits, f"within its limit now: remove from NOT_YET: {fits}"


def test_the_size_check_sees_an_overlong_function(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(70))
    tree = ast.parse(f"def f():\n{body}\n")
    node = tree.body[0]
    assert (node.end_lineno or 0) - node.lineno + 1 > 60
