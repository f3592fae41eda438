"""A key result named on the command line (``checkin KR``, ``status KR``):
by id, note name, title, alias, path or Objective#id, as a wikilink finds
it. Never a silent pick: a name that several key results answer to, or that
names one with errors, is an error that names the candidates."""

from __future__ import annotations

import difflib
from typing import Any

from vaultokr.compute.analysis import Analysis
from vaultokr.core.errors import UsageError
from vaultokr.model.okr import KeyResult


def find_kr(analysis: Analysis, query: str) -> KeyResult:
    """A key result by id, note name, title, alias, path or Objective#id (as
    a wikilink is found). A name that several notes answer to, or that names
    a key result with errors, is an error naming the candidates (never a
    silent pick); a near miss suggests the closest names."""
    wanted = query.strip().strip("[]").split("|")[0].strip().lower()
    if wanted.endswith(".md"):
        wanted = wanted[:-3]
    names: dict[str, set[str]] = {}
    aliases = analysis.files.link_index().alias_names()

    def add(kr_id: str, keys: set[str]) -> None:
        for key in keys:
            names.setdefault(key, set()).add(kr_id)

    for kr in analysis.model.key_results.values():
        note = kr.id.split("#")[0]
        keys = {kr.id.lower(), kr.title.lower(), note.rsplit("/", 1)[-1].lower()}
        if kr.inline:
            keys.add(f"{note.rsplit('/', 1)[-1]}#{kr.id.split('#', 1)[1]}".lower())
        else:
            keys.update(a for a, ids in aliases.items() if note in ids)
        add(kr.id, keys)
    broken = {n.id: n for n in analysis.files.typed
              if n.role == "key-result" and n.id not in analysis.model.key_results}
    for note_id, typed in broken.items():
        title = typed.meta.get("title")
        keys = {note_id.lower(), typed.name.lower()}
        if isinstance(title, str):
            keys.add(title.strip().lower())
        add(note_id, keys)
    found = names.get(wanted, set())
    if len(found) == 1 and not found & broken.keys():
        return analysis.model.key_results[found.pop()]
    if found:
        raise UsageError(_candidates(analysis, query, sorted(found), broken),
                         hint="fix the errors (vaultokr check), or write the path of the one "
                         "you mean, e.g. vaultokr checkin \"" + sorted(found)[0] + "\" 3")
    close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.5)
    titles: list[str] = []
    for key in close:
        for kr_id in sorted(names[key]):
            kr_found = analysis.model.key_results.get(kr_id)
            title = kr_found.title if kr_found else kr_id
            if title not in titles:
                titles.append(title)
    hint = ("did you mean " + " or ".join(repr(t) for t in titles[:3]) + "?") if titles else \
        "vaultokr status lists the key results"
    raise UsageError(f"no key result named {query!r}", hint=hint)


def _candidates(analysis: Analysis, query: str, found: list[str],
                broken: dict[str, Any]) -> str:
    lines = [f"{query!r} names {len(found)} key result{'s' * (len(found) != 1)}"
             + (":" if len(found) > 1 else " that has errors:")]
    for kr_id in found:
        if kr_id in broken:
            path = broken[kr_id].path
            first = next((p for p in analysis.errors if p.path == path), None)
            why = f"has errors ({path}:{first.line}: {first.message})" if first else \
                "has errors (vaultokr check)"
            lines.append(f"  {kr_id}: {why}")
        else:
            lines.append(f"  {kr_id}")
    return "\n".join(lines)
