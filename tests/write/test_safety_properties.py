"""Issue 9, property-based: generated notes through ``vaultokr build`` twice,
with SPEC §7 as the oracle.

- no traceback, no exit 3;
- every byte outside regions is unchanged (a note may change only between a
  begin marker's ``-->`` and its end marker's ``-->``);
- nothing is created outside ``OKRs/`` and ``.vaultokr/``;
- no temporary file is left;
- the second build writes nothing.

Profiles (environment variable ``VAULTOKR_HYPOTHESIS``):

- ``ci`` (default): a few hundred examples in all, derandomized, no example
  database, so the suite stays fast and reproducible;
- ``long``: 2,000 examples per property, random, with the example database
  (``.hypothesis/``), for local runs before a release::

      VAULTOKR_HYPOTHESIS=long .venv/bin/python -m pytest -q tests/test_safety_properties.py
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from support.safety import KR, OBJ, build, temp_files
from support.snapshot import snapshot

# A build costs ~0.1-0.2 s (templates are compiled on every one-shot build),
# so the ci profile stays small and stops at the first failure (no shrinking).
settings.register_profile("ci", max_examples=12, deadline=None, derandomize=True,
                          database=None, phases=[Phase.explicit, Phase.generate],
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("VAULTOKR_HYPOTHESIS", "ci"))

NAMES = ["objective", "objective id=O", "kr", "kr id=K", "week", "week week=2026-W47",
         "ambition", "chart", ""]
MARKER_LINES = [f"<!-- vaultokr:begin {name} -->" for name in NAMES] + [
    "<!-- vaultokr:end -->", "<!-- vaultokr:end sha256:0123456789abcdef -->"]
WRAPPERS = ["{}", "> {}", "- {}", "1. {}", "    {}", "  {}", "<!-- {} -->", "`{}`", "# {}"]
TEXT_LINES = ["", "my words", "# Heading", "```", "~~~", "```md", "<!--", "-->", "---",
              "- [ ] task", "| a | b |", "\t tab", "Zürich 日本 ✓", "## Log",
              "- 2026-11-18: 7", "[[K]]", "   "]
ENDINGS = ["\n", "\r\n", "\r"]


@st.composite
def lines(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["text", "marker", "wrapped", "raw"]))
    if kind == "text":
        line = draw(st.sampled_from(TEXT_LINES)).encode()
    elif kind == "marker":
        line = draw(st.sampled_from(MARKER_LINES)).encode()
    elif kind == "wrapped":
        line = draw(st.sampled_from(WRAPPERS)).format(draw(st.sampled_from(MARKER_LINES))).encode()
    else:
        line = draw(st.binary(max_size=12)).replace(b"\n", b"").replace(b"\r", b"")
    return line + draw(st.sampled_from(ENDINGS)).encode()


TITLES = ["Plain", "Talks\\ngiven", "Talks\\rgiven", "a <!-- vaultokr:end --> b", "```",
          "x\\n<!-- vaultokr:begin kr -->\\ny", "| pipe |", "[[O]]"]


@st.composite
def front_matter(draw: st.DrawFn) -> bytes:
    if not draw(st.booleans()):
        return b""
    role = draw(st.sampled_from(["objective", "key-result", "ambition", "note", "check-in"]))
    fields = [f"type: {role}"]
    if role == "objective":
        fields.append("period: " + draw(st.sampled_from(["2026-Q4", "2026-W47", "2026-11"])))
    if role == "key-result":
        fields += ['objective: "[[O]]"', "target: 10"]
    if role == "check-in":
        fields += ["date: 2026-11-18", 'kr: "[[K]]"', "value: 3"]
    if draw(st.booleans()):
        fields.append('title: "' + draw(st.sampled_from(TITLES)) + '"')
    if draw(st.booleans()):
        fields.append('comment: "' + draw(st.sampled_from(TITLES)) + '"')
    ending = draw(st.sampled_from(ENDINGS))
    return ending.join(["---", *fields, "---", ""]).encode()


@st.composite
def notes(draw: st.DrawFn) -> bytes:
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    body = b"".join(draw(st.lists(lines(), max_size=14)))
    if body and draw(st.booleans()):  # no final line end
        body = body.rstrip(b"\r\n")
    return bom + draw(front_matter()) + body


REGION = re.compile(rb"(<!-- vaultokr:begin[^\r\n]*?-->).*?<!-- vaultokr:end[^\r\n]*?-->",
                    re.DOTALL)


def outside_regions(data: bytes) -> bytes:
    return REGION.sub(rb"\1<REGION>", data)


def check_twice(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp, "vault")
        outside = Path(tmp, "outside")
        outside.mkdir()
        for rel, data in {"O.md": OBJ.encode(), "K.md": KR.encode(), **files}.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        before = snapshot(root, folders=True)
        first = build(root)
        first.assert_clean()
        after = snapshot(root, folders=True)
        for rel, data in after.items():
            if rel.startswith(("OKRs/", ".vaultokr/")) or rel in ("OKRs", ".vaultokr"):
                continue
            assert rel in before, f"{rel} was created: {first.output}"
            old = before[rel]
            if data != old:
                assert isinstance(old, bytes) and isinstance(data, bytes)
                assert outside_regions(data) == outside_regions(old), (rel, old, data)
        assert temp_files(root) == []
        assert snapshot(outside, folders=True) == {}
        second = build(root)
        second.assert_clean()
        changed = {rel for rel in after.keys() | snapshot(root, folders=True).keys()
                   if after.get(rel) != snapshot(root, folders=True).get(rel)}
        assert changed == set(), (changed, second.output)


@given(st.lists(notes(), min_size=1, max_size=4))
def test_generated_notes_keep_every_byte_outside_regions(generated: list[bytes]) -> None:
    check_twice({f"Notes/N{i}.md": data for i, data in enumerate(generated)})


@given(st.lists(st.sampled_from(TEXT_LINES + MARKER_LINES), max_size=10),
       st.sampled_from(["\n", "\r\n"]))
def test_well_formed_notes_without_lone_crs(body: list[str], ending: str) -> None:
    """LF or CRLF notes without stray bytes, each line ended: this holds today
    (a last line without its end is test_safety_regions's case)."""
    text = OBJ.replace("\n", ending) + "".join(line + ending for line in body)
    check_twice({"Notes/N.md": text.encode()})
