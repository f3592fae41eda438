"""A time and size budget for rendering templates, which users may override
in their vault (docs/safety.md, "Limits").

Jinja's sandbox already refuses unsafe attributes and ranges over 100,000
items; on top of it:

- time: every call and attribute lookup a template makes checks a deadline,
  and in the main thread an interval timer interrupts even a loop that makes
  none (``{% for a in x %}{% for b in x %}{% endfor %}{% endfor %}``). Both
  count the process's CPU time, not the clock: a busy machine does not make
  a sound template fail;
- size: ``*`` and ``**`` are checked before they run (``'x' * 300000000``
  would allocate first), and the output is counted while it is generated.

An exceeded budget is :class:`BudgetExceeded`, which the renderer reports as
a ``template-error`` naming the template's file and line.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

#: CPU seconds one template may take to render (the shipped ones take milliseconds)
TEMPLATE_SECONDS = 3.0
#: characters one rendered output may hold (16 Mi: a large dashboard is ~100 Ki)
MAX_OUTPUT_CHARS = 16 * 2**20
#: the largest exponent ``**`` may take in a template
MAX_EXPONENT = 1000


class BudgetExceeded(Exception):
    """A template ran out of time or produced too much."""


_state = threading.local()


def _check_deadline() -> None:
    deadline = getattr(_state, "deadline", None)
    if deadline is not None and time.process_time() > deadline:
        raise BudgetExceeded(f"took more than {TEMPLATE_SECONDS:g} s of CPU to render "
                             "(an endless loop or recursion?)")


class BudgetedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with a deadline on calls and lookups and a bound on ``*``/``**``."""

    intercepted_binops = frozenset({"*", "**"})

    def call(__self, __context: Any, __obj: Any, *args: Any,  # Jinja's signature
             **kwargs: Any) -> Any:
        _check_deadline()
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _check_deadline()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _check_deadline()
        return super().getitem(obj, argument)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise BudgetExceeded(f"an exponent over {MAX_EXPONENT} ({right!r})")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple | bytes) and isinstance(times, int) \
                        and len(seq) * times > MAX_OUTPUT_CHARS:
                    raise BudgetExceeded(f"a repeated text or list longer than "
                                         f"{MAX_OUTPUT_CHARS:,} items")
        return super().call_binop(context, operator, left, right)


def render_within(template: jinja2.Template, context: dict[str, Any],
                  seconds: float = TEMPLATE_SECONDS, max_chars: int = MAX_OUTPUT_CHARS) -> str:
    """``template`` rendered, or BudgetExceeded after ``seconds`` or ``max_chars``."""
    parts: list[str] = []
    size = 0
    with _deadline(seconds):
        for chunk in template.generate(context):
            size += len(chunk)
            if size > max_chars:
                raise BudgetExceeded(f"renders more than {max_chars:,} characters")
            parts.append(chunk)
        _check_deadline()
    return "".join(parts)


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    previous = getattr(_state, "deadline", None)
    _state.deadline = time.process_time() + seconds
    timer = threading.current_thread() is threading.main_thread() and hasattr(signal,
                                                                                "ITIMER_VIRTUAL")
    old_handler: Any = None
    if timer:
        def on_alarm(signum: int, frame: FrameType | None) -> None:
            raise BudgetExceeded(f"took more than {seconds:g} s of CPU to render "
                                 "(an endless loop or recursion?)")

        old_handler = signal.signal(signal.SIGVTALRM, on_alarm)
        signal.setitimer(signal.ITIMER_VIRTUAL, seconds + 0.05)  # CPU time, user mode
    try:
        yield
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            signal.signal(signal.SIGVTALRM,
                          old_handler if old_handler is not None else signal.SIG_DFL)
        _state.deadline = previous
