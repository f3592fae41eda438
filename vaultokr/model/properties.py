"""The note properties vaultokr reads (SPEC §2): one table, shared by the
reader (the words a choice allows), ``vaultokr new`` (its options, their help
and choices) and ``init`` (the types registered in ``.obsidian/types.json``).

To add a property: a row here; then read it (``vaultokr.load.assemble`` or
``vaultokr.load.keyresults``) and, if ``new`` offers it, write it in
``vaultokr.commands.authoring``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from vaultokr.core.vocab import DECLARED, Commitment, Keep, Measure

F = TypeVar("F", bound=Callable[..., Any])

OBJ, KR, INI, CHECKIN, AMB = "objective", "key-result", "initiative", "check-in", "ambition"


@dataclass(frozen=True)
class Property:
    name: str
    roles: tuple[str, ...]  # the notes that take it
    type: str  # text, number, date, period, link, links, names, choice, list, mapping, flag
    doc: str  # what it is (``new``'s help where new offers it)
    choices: tuple[str, ...] = ()
    new: bool = True  # ``vaultokr new`` has an option for it
    obsidian: str | None = None  # its type in Obsidian's Properties panel, registered by init

    flag: str | None = None  # ``new``'s option, when not --NAME
    option_type: Any = None  # ``new``'s option's click type, when not text or a choice

    def click_option(self) -> Callable[[F], F]:
        flag = self.flag or f"--{self.name}"
        decls = [flag] if self.flag is None else [flag, self.name]
        if self.type in ("links", "names"):
            return click.option(*decls, multiple=True, help=self.doc)
        if self.choices:
            choice = click.Choice([str(c) for c in self.choices])
            return click.option(*decls, type=choice, help=self.doc)
        return click.option(*decls, type=self.option_type, help=self.doc)


PROPERTIES: tuple[Property, ...] = (
    Property("period", (OBJ, KR), "period",
             "Objective period: 2026-Q4, 2026-H2, 2026-11, 2026-W47, 2026."),
    Property("start", (OBJ, KR, INI), "date", "Start date (YYYY-MM-DD).", obsidian="date"),
    Property("due", (OBJ, KR), "date", "Last day (YYYY-MM-DD).", obsidian="date"),
    Property("end", (INI,), "date", "Initiative end date (YYYY-MM-DD).", obsidian="date"),
    Property("ambition", (OBJ,), "links", "Ambition the objective serves (repeatable)."),
    Property("objective", (KR,), "link", "Objective of the key result."),
    Property("parent", (OBJ,), "link", "Parent objective (alignment)."),
    Property("commitment", (OBJ,), "choice", "Objective commitment.", tuple(Commitment)),
    Property("weight", (OBJ, KR), "number", "Weight (default 1).", obsidian="number",
             option_type=float),
    Property("baseline", (KR,), "number", "Key result value at start.", obsidian="number"),
    Property("target", (KR,), "number", "Key result target number.", obsidian="number"),
    Property("change", (KR,), "text", 'Target as a change of the baseline, e.g. "+100%".'),
    Property("growth", (KR,), "text", 'Compounding target, e.g. "10%/month".'),
    Property("measure", (KR,), "choice",
             "How measurements make the current value (default last).", tuple(Measure)),
    Property("unit", (KR,), "text", "Unit of the values, e.g. invitations."),
    Property("metric", (KR,), "text", "What is measured, in words."),
    Property("field", (KR,), "names",
             "Read measurements from this property of dated notes (repeatable: their sum)."),
    Property("note", (KR,), "link",
             'Limit field, tag and checklist to this note or heading, e.g. "[[Goal#Progress]]".'),
    Property("tag", (KR,), "text",
             "With --measure count: the tag of countable notes; with last or sum: the tag "
             "whose values (#weight:72.5) are the measurements."),
    Property("task", (KR,), "text",
             "With --measure count: count checked tasks holding this text, or this #tag."),
    Property("count_if", (KR,), "text",
             'With --measure count and --field: which values count a note, done (default: '
             'not false, no, 0 or blank) or a comparison such as "> 30".', flag="--count-if"),
    Property("keep", (KR,), "choice",
             "A threshold to stay above or below (--target is the threshold).", tuple(Keep)),
    Property("key_results", (INI, OBJ), "links",
             "Key result an initiative works on (repeatable).", flag="--key-result"),
    Property("hypothesis", (INI,), "text", "What the initiative is expected to change."),
    # read, not offered by ``new``
    Property("title", (OBJ, KR, INI, AMB), "text", "The title, when not the file name.",
             new=False),
    Property("status", (OBJ, KR, INI), "choice", "Declared status (initiatives: also done).",
             tuple(DECLARED), new=False),
    Property("created", (OBJ, KR, INI, AMB), "date",
             "When the note was written (`new` writes it; the key is `created_key`).",
             new=False, obsidian="date"),
    Property("done", (KR,), "flag", "A milestone done: true, or the date it was done.",
             new=False),
    Property("checkins", (KR,), "list", "Check-ins: a list of {date, value, confidence}.",
             new=False),
    Property("previous", (OBJ, KR), "link",
             "The note this one continues from an earlier period (vaultokr plan writes it).",
             new=False),
    Property("kr", (CHECKIN,), "link", "The key result a check-in measures.", new=False),
    Property("value", (CHECKIN,), "number", "A check-in's value.", new=False,
             obsidian="number"),
    Property("values", (CHECKIN,), "mapping", "Key results mapped to values.", new=False),
    Property("confidence", (CHECKIN, KR), "number", "Confidence, 0 to 10.", new=False,
             obsidian="number"),
    Property("comment", (CHECKIN,), "text", "One line about what happened.", new=False),
    Property("date", (CHECKIN,), "date", "A check-in's (or a dated note's) date.", new=False,
             obsidian="date"),
)
BY_NAME = {p.name: p for p in PROPERTIES}

#: the order init has always written them in, so types.json files stay as they were
_OBSIDIAN_ORDER = ("baseline", "target", "value", "confidence", "weight", "start", "due", "date",
                   "end", "created")
OBSIDIAN_TYPES: dict[str, str] = {
    name: str(BY_NAME[name].obsidian) for name in _OBSIDIAN_ORDER if BY_NAME[name].obsidian
}


def new_options(command: F) -> F:
    """``vaultokr new``'s options, one per property it offers, in table order."""
    for prop in reversed([p for p in PROPERTIES if p.new]):
        command = prop.click_option()(command)
    return command
