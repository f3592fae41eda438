"""Front-matter YAML to plain values with line positions, on libyaml.

Imported when a note's YAML is first parsed (a run served by the index parses
none). See notes.py for the traps handled while building values.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from vaultokr.core.limits import MAX_NESTING, MAX_NUMBER_DIGITS, too_deep
from vaultokr.read import plain_yaml as plainyaml
from vaultokr.read.frontmatter import FrontMatterError, Pos, split

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

#: how many YAML nodes one note's front-matter may expand to (aliases count
#: every time they are followed); real front-matter has a few dozen.
NODE_BUDGET = 20_000
MAX_DEPTH = MAX_NESTING

_DECIMAL_INT = re.compile(r"^[-+]?[0-9][0-9_]*$")

_INT = "tag:yaml.org,2002:int"
_STR = "tag:yaml.org,2002:str"
_scalar_ctor = yaml.constructor.SafeConstructor()
_resolver = yaml.resolver.Resolver()  # the resolver of the loader above


class LineYAMLHandler(YAMLHandler):
    """python-frontmatter's YAML handler, on libyaml, keeping line numbers.

    Its ``detect`` and ``split`` know a BOM and keep exact line offsets; its
    ``load`` follows python-frontmatter's interface, and ``load_located``
    also returns where each value is. ``frontmatter.loads(text,
    handler=LineYAMLHandler())`` works too.
    """

    def detect(self, text: str) -> bool:
        return split(text).fm_text is not None

    def split(self, text: str) -> tuple[str, str]:
        parts = split(text)
        return parts.fm_text or "", parts.body

    def load(self, fm: str, **kwargs: object) -> Any:
        return self.load_located(fm, 1)[0]

    def load_located(self, fm: str, first_line: int) -> tuple[Any, Pos]:
        return load_yaml(fm, first_line)


HANDLER = LineYAMLHandler()


def load_yaml(fm_text: str, first_line: int) -> tuple[Any, Pos]:
    """Parse front-matter YAML; positions are lines of the whole file.
    Front-matter in the plainest YAML is read without libyaml's nodes
    (plainyaml.py), to the same values."""
    plain = plainyaml.read(fm_text, first_line, scalar_of)
    return plain if plain is not None else parse(fm_text, first_line)


def parse(fm_text: str, first_line: int) -> tuple[Any, Pos]:
    """The full parse: libyaml's nodes, built into values."""
    deep = too_deep(fm_text)
    if deep is not None:  # libyaml would recurse until its C stack overflows
        raise FrontMatterError(
            f"front-matter nests lists or mappings more than {MAX_NESTING} deep: "
            "write plain values", first_line + deep - 1, "yaml-too-complex")
    try:
        node = yaml.compose(fm_text, Loader=_Loader)
    except RecursionError:
        raise FrontMatterError(f"front-matter nests more than {MAX_NESTING} deep",
                               first_line, "yaml-too-complex") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark is not None else 0)
        what = exc.problem or exc.context or "invalid YAML"
        raise FrontMatterError(f"front-matter is not valid YAML: {what}", line) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"front-matter is not valid YAML: {exc}", first_line) from None
    if node is None:
        return {}, Pos(first_line)
    builder = _Builder(first_line)
    try:
        return builder.build(node, 0)
    finally:
        # the shared constructor remembers every node it built (a watch would
        # keep every note's scalars, with their marks, for as long as it runs)
        _scalar_ctor.constructed_objects.clear()
        _scalar_ctor.recursive_objects.clear()


class _Builder:
    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.budget = NODE_BUDGET

    def pos(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def build(self, node: yaml.Node, depth: int) -> tuple[Any, Pos]:
        self.budget -= 1
        if self.budget < 0 or depth > MAX_DEPTH:
            raise FrontMatterError(
                "front-matter expands to too many values (YAML aliases or deep nesting): "
                "write plain values instead of anchors and aliases",
                self.pos(node),
                "yaml-too-complex",
            )
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node), Pos(self.pos(node))
        if isinstance(node, yaml.SequenceNode):
            link = _link_in_nested_list(node)
            if link is not None:
                return link, Pos(self.pos(node))
            items: list[Any] = []
            pos = Pos(self.pos(node))
            for i, child in enumerate(node.value):
                value, child_pos = self.build(child, depth + 1)
                items.append(value)
                pos.children[i] = child_pos
            return items, pos
        if isinstance(node, yaml.MappingNode):
            mapping: dict[Any, Any] = {}
            pos = Pos(self.pos(node))
            for key_node, value_node in node.value:
                key = self.key(key_node, depth)
                value, child_pos = self.build(value_node, depth + 1)
                mapping[key] = value
                pos.children[key] = Pos(self.pos(key_node), child_pos.children)
            return mapping, pos
        raise FrontMatterError("unsupported YAML node", self.pos(node))  # pragma: no cover

    def key(self, node: yaml.Node, depth: int) -> Any:
        value, _ = self.build(node, depth + 1)
        if isinstance(value, list | dict):
            return str(value)
        return value

    def scalar(self, node: yaml.ScalarNode) -> Any:
        return scalar_value(node.tag, node.value)


def scalar_value(tag: str, text: str) -> Any:
    """A scalar's value from its resolved tag and its text."""
    if tag == _STR:
        return text
    if tag == _INT:
        if ":" in text:  # YAML 1.1 base 60: "9:15" is a time, not 555
            return text
        if len(text) > MAX_NUMBER_DIGITS:  # int() refuses 4,300 digits; say why
            return text
        if _DECIMAL_INT.match(text):  # "010" is ten, not octal eight
            return int(text.replace("_", ""))
    try:
        return _scalar_ctor.construct_object(yaml.ScalarNode(tag, text), deep=True)
    except (yaml.YAMLError, ValueError, OverflowError):
        return text  # e.g. 2026-13-45 looks like a date but is not one: text
    finally:
        _scalar_ctor.constructed_objects.clear()


@lru_cache(maxsize=4096)
def scalar_of(text: str, plain: bool) -> Any:
    """A scalar's value from its text, typed as the full parse types it:
    PyYAML's resolver (the one libyaml's loader calls) for a plain scalar,
    text for a quoted one. Remembered for the most recent texts (a vault
    repeats its keys and many values): every value is immutable (text,
    number, boolean, None, date or time)."""
    tag = _resolver.resolve(yaml.ScalarNode, text, (plain, not plain))  # type: ignore[no-untyped-call]
    return scalar_value(tag, text)


def _link_in_nested_list(node: yaml.SequenceNode) -> str | None:
    """``[[Note]]`` unquoted is a flow list holding a list holding a string."""
    if not node.flow_style or len(node.value) != 1:
        return None
    inner = node.value[0]
    if not isinstance(inner, yaml.SequenceNode) or not inner.flow_style:
        return None
    if len(inner.value) != 1 or not isinstance(inner.value[0], yaml.ScalarNode):
        return None
    return f"[[{inner.value[0].value}]]"


