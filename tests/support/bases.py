"""A small evaluator of the Bases formula language, for the expressions the
generated ``OKRs.base`` uses (Obsidian's help, *Bases syntax* and
*Functions*): numbers, strings, properties, ``file.hasProperty``,
``file.basename``, ``today()``, ``if``, ``min``, ``max``, the arithmetic,
comparison and boolean operators, ``.round(n)``, ``.isEmpty()``,
``.toString()``; a date minus a date is milliseconds, a date minus a
duration string (``"14d"``) is a date. Anything else is an error, so a
formula that strays from the documented language fails its test.

    evaluate('max(0, okr_progress - 10)', {"okr_progress": 42.5}, today) == 32.5
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|(\"[^\"]*\"|'[^']*')|([A-Za-z_][A-Za-z0-9_]*)"
                    r"|(==|!=|<=|>=|&&|\|\||[-+*/<>!().,]))")
_DAY_MS = 86_400_000


class BasesError(ValueError):
    """An expression outside what this evaluator (and the generated base) uses."""


def tokens(text: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    pos = 0
    while pos < len(text.rstrip()):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise BasesError(f"cannot read {text[pos:]!r}")
        number, string, name, op = m.groups()
        if number is not None:
            out.append(("num", float(number)))
        elif string is not None:
            out.append(("str", string[1:-1]))
        elif name is not None:
            out.append(("name", name))
        else:
            out.append(("op", op))
        pos = m.end()
    return out


def evaluate(text: str, props: dict[str, Any], today: dt.date) -> Any:
    parser = _Parser(tokens(text), props, today)
    value = parser.expr()
    if parser.i != len(parser.toks):
        raise BasesError(f"left over: {parser.toks[parser.i:]}")
    return value


def _truthy(value: Any) -> bool:
    return value not in (None, "", 0, False)


def _midnight(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    raise BasesError(f"not a date: {value!r}")


def _duration(text: str) -> dt.timedelta:
    m = re.fullmatch(r"\s*(\d+)\s*(d|day|days|w|week|weeks)\s*", text)
    if m is None:
        raise BasesError(f"not a duration this evaluator knows: {text!r}")
    days = int(m[1]) * (7 if m[2].startswith("w") else 1)
    return dt.timedelta(days=days)


class _Parser:
    def __init__(self, toks: list[tuple[str, Any]], props: dict[str, Any],
                 today: dt.date) -> None:
        self.toks, self.props, self.today, self.i = toks, props, today, 0

    def peek(self) -> tuple[str, Any] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, op: str | None = None) -> tuple[str, Any]:
        tok = self.peek()
        if tok is None or (op is not None and tok != ("op", op)):
            raise BasesError(f"expected {op!r}, found {tok!r}")
        self.i += 1
        return tok

    def at(self, *ops: str) -> str | None:
        tok = self.peek()
        return tok[1] if tok is not None and tok[0] == "op" and tok[1] in ops else None

    def expr(self) -> Any:
        left = self.conj()
        while self.at("||"):
            self.take()
            right = self.conj()
            left = _truthy(left) or _truthy(right)
        return left

    def conj(self) -> Any:
        left = self.comparison()
        while self.at("&&"):
            self.take()
            right = self.comparison()
            left = _truthy(left) and _truthy(right)
        return left

    def comparison(self) -> Any:
        left = self.sum()
        op = self.at("==", "!=", "<=", ">=", "<", ">")
        if op is None:
            return left
        self.take()
        right = self.sum()
        if op in ("==", "!="):
            return (left == right) == (op == "==")
        if left is None or right is None:
            return False
        if isinstance(left, dt.date) or isinstance(right, dt.date):
            left, right = _midnight(left), _midnight(right)
        return {"<=": left <= right, ">=": left >= right, "<": left < right,
                ">": left > right}[op]

    def sum(self) -> Any:
        left = self.product()
        while (op := self.at("+", "-")) is not None:
            self.take()
            right = self.product()
            left = self.arith(op, left, right)
        return left

    def arith(self, op: str, left: Any, right: Any) -> Any:
        if isinstance(left, dt.date):
            if isinstance(right, str):
                shift = _duration(right)
                return _midnight(left) + (shift if op == "+" else -shift)
            if op == "-" and isinstance(right, dt.date):
                return (_midnight(left) - _midnight(right)).total_seconds() * 1000
        if op == "+" and (isinstance(left, str) or isinstance(right, str)):
            return f"{left}{right}"
        if not all(isinstance(v, float | int) for v in (left, right)):
            raise BasesError(f"{left!r} {op} {right!r}")
        return left + right if op == "+" else left - right

    def product(self) -> Any:
        left = self.unary()
        while (op := self.at("*", "/")) is not None:
            self.take()
            right = self.unary()
            left = left * right if op == "*" else left / right
        return left

    def unary(self) -> Any:
        if self.at("!"):
            self.take()
            return not _truthy(self.unary())
        if self.at("-"):
            self.take()
            return -self.unary()
        return self.postfix()

    def postfix(self) -> Any:
        value = self.primary()
        while self.at("."):
            self.take()
            _, name = self.take()
            if self.at("("):
                value = self.method(value, name, self.args())
            elif isinstance(value, _File) and name == "basename":
                value = value.basename
            else:
                raise BasesError(f"field {name}")
        return value

    def args(self) -> list[Any]:
        self.take("(")
        found: list[Any] = []
        while not self.at(")"):
            found.append(self.expr())
            if self.at(","):
                self.take()
        self.take(")")
        return found

    def method(self, value: Any, name: str, args: list[Any]) -> Any:
        if isinstance(value, _File) and name == "hasProperty":
            return args[0] in self.props
        if name == "round":
            places = int(args[0]) if args else 0
            return round(value, places) if places else float(round(value))
        if name == "isEmpty":
            return value is None or value == ""
        if name == "toString":
            return "" if value is None else str(value)
        raise BasesError(f"method {name}")

    def primary(self) -> Any:
        kind, value = self.take()
        if kind in ("num", "str"):
            return value
        if kind == "op" and value == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if kind != "name":
            raise BasesError(f"unexpected {value!r}")
        if value == "file":
            return _File(str(self.props.get("file.basename", "")))
        if self.at("("):
            return self.call(value, self.args())
        return self.props.get(value)

    def call(self, name: str, args: list[Any]) -> Any:
        if name == "today":
            return self.today
        if name == "if":
            return args[1] if _truthy(args[0]) else (args[2] if len(args) > 2 else None)
        if name in ("min", "max"):
            return (min if name == "min" else max)(args)
        raise BasesError(f"function {name}")


class _File:
    def __init__(self, basename: str) -> None:
        self.basename = basename
