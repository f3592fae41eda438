"""Properties that link to other notes: a link resolves to a note of the
roles it may link to, or becomes a problem on the property's line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vaultokr.core.errors import Problems
from vaultokr.load.property_reader import Props
from vaultokr.model.okr import Model, Objective
from vaultokr.read.links import Link, LinkIndex, parse_link
from vaultokr.syntax.values import show_value


@dataclass
class Linker:
    links: LinkIndex
    problems: Problems
    model: Model
    roles: dict[str, str]  # note id -> role, for every typed note
    broken: set[str]  # typed notes whose front-matter is broken

    def links_in(self, props: Props, key: str, roles: tuple[str, ...]) -> list[str]:
        """Every note a property (one link or a list) links to."""
        value = props.get(key)
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        found = []
        for i, item in enumerate(items):
            line = props.line(key, i) if isinstance(value, list) else props.line(key)
            target = self.resolve(props.path, line, key, item, roles)
            if target is not None:
                found.append(target)
        return found

    def resolve(self, path: str, line: int, key: str, value: Any,
                roles: tuple[str, ...]) -> str | None:
        found = self._target(path, line, key, value, roles)
        if found is None:
            return None
        link, note_id = found
        if note_id in self.broken:
            return None  # its own problem is reported already
        role = self.roles.get(note_id)
        if role == "key-result" and "key-result" in roles:
            # a key result left out for its own errors was reported already
            return note_id if note_id in self.model.key_results else None
        if role == "objective" and "key-result" in roles and link.subpath:
            kr_id = self._inline_kr(note_id, link.subpath)
            if kr_id is None and note_id in self.model.objectives:
                self.problems.error(
                    path, line, "link-missing",
                    f"{key}: {link.raw}: [[{note_id}]] has no inline key result with id "
                    f"{show_value(link.subpath)}; write one of its ids, or link the key "
                    "result's note",
                )
            return kr_id
        if role in roles:
            return note_id
        wanted = " or ".join(r.replace("-", " ") for r in roles)
        what = f"a {role.replace('-', ' ')}" if role else "an ordinary note"
        self.problems.error(
            path, line, "link-wrong-type",
            f"{key}: {link.raw} links to {what}, not {_article(wanted)}: link {_article(wanted)} "
            f"note (type: {roles[0]})",
        )
        return None

    def resolve_note(self, path: str, line: int, key: str, value: Any
                     ) -> tuple[str, str] | None:
        """A link to any note (an OKR note or an ordinary one) and the heading
        after its ``#`` ("" without one); None, with a problem, when it
        resolves to nothing."""
        found = self._target(path, line, key, value, ())
        if found is None:
            return None
        link, note_id = found
        return note_id, link.subpath

    def _target(self, path: str, line: int, key: str, value: Any,
                roles: tuple[str, ...]) -> tuple[Link, str] | None:
        """The link a property holds and the note it resolves to (a problem when none)."""
        if isinstance(value, list) and len(value) == 1:
            value = value[0]  # Obsidian's list property holding one link
        link = as_link(value)
        if link is None:
            self.problems.error(
                path, line, "link-invalid",
                f"{key}: {show_value(value)} is not a link: write it as a quoted wikilink, "
                f"e.g. {key}: \"[[Note]]\"",
            )
            return None
        resolved = self.links.resolve(link, path[:-3])
        note_id = resolved.id
        if note_id is None and resolved.candidates:
            note_id = self._pick(path, line, key, link, resolved.candidates, roles)
        if note_id is None:
            self.problems.error(path, line, resolved.error or "link-missing",
                                f"{key}: {resolved.message}")
            return None
        return link, note_id

    def _pick(self, path: str, line: int, key: str, link: Link, candidates: tuple[str, ...],
              roles: tuple[str, ...]) -> str | None:
        """Of several notes of one name: the ones of the role the property
        expects, then the one in the linking note's folder, then the one with
        the shortest path; a warning names the others. None when still equal."""
        left = [c for c in candidates if self.roles.get(c) in roles] or list(candidates)
        why = "the only one of the expected role"
        if len(left) > 1:
            folder = _folder(path[:-3])
            left = [c for c in left if _folder(c) == folder] or left
            why = "in this note's folder"
        if len(left) > 1:
            depth = min(c.count("/") for c in left)
            left = [c for c in left if c.count("/") == depth]
            why = "the one with the shortest path"
        if len(left) != 1:
            return None
        others = ", ".join(f"[[{c}]]" for c in candidates if c != left[0])
        self.problems.warning(
            path, line, "link-ambiguous-picked",
            f"{key}: {link.raw} matches {len(candidates)} notes; [[{left[0]}]] is used ({why}), "
            f"not {others}: write the path, e.g. \"[[{left[0]}]]\", to say so",
        )
        return left[0]

    def _inline_kr(self, objective_id: str, subpath: str) -> str | None:
        wanted = f"{objective_id}#{subpath}".lower()
        for kr_id in self.model.objectives.get(objective_id, Objective("", "", "")).key_results:
            if kr_id.lower() == wanted:
                return kr_id
        return None


def as_link(value: Any) -> Link | None:
    link = parse_link(value)
    if link is not None:
        return link
    if isinstance(value, str) and value.strip() and "[" not in value and "]" not in value:
        return parse_link(f"[[{value.strip()}]]")  # a bare note name, as Obsidian would guess
    return None


def _folder(note_id: str) -> str:
    return note_id.rsplit("/", 1)[0] if "/" in note_id else ""


def _article(text: str) -> str:
    return ("an " if text[:1] in "aeiou" else "a ") + text
