"""Generated front-matter for the property tests of the front-matter
writer: a user's own keys in the shapes people and Obsidian's property editor
write them (quoting, comments, block and flow lists, values over several
lines), computed keys already there in odd shapes, LF or CRLF, a BOM."""

from __future__ import annotations

from hypothesis import strategies as st

USER_ITEMS = [
    ["title: Speaking invitations"],
    ['objective: "[[Grow my speaking pipeline]]"'],
    ["type: key-result"],
    ["'quoted key': 1"],
    ['"double quoted": "x: y"'],
    ["# a comment of mine"],
    ["tags:", "  - okr", "  - speaking"],  # Obsidian's property editor
    ["aliases:", "- Invitations", "- Talks"],  # a block list at the margin
    ["numbers: [1, 2,", "  3]"],  # a flow list over two lines
    ["note: a long text", "  that goes on", "", "  after a blank line"],
    ["empty:"],
    ["okr_notes: mine, not computed"],  # the prefix, but not a computed key
    ["baseline: 5 # trailing comment"],
    ["nested:", "  okr_progress: 3"],  # not top level: never touched
    ["target: 10"],
]
ODD_KEYS = [
    ["okr_progress: 12"],
    ["okr_status:", "  - stale", "  - list"],
    ["okr_current: >", "  folded", "  text"],
    ["'okr_last_measured': 2026-01-01"],
    ["okr_status: on_track"],
]


@st.composite
def notes(draw: st.DrawFn, first: tuple[str, ...] = ()) -> tuple[str, bool]:
    """A note's text (its front-matter starting with the ``first`` lines), and
    whether it held computed keys already."""
    items = [[line] for line in first] + draw(st.lists(st.sampled_from(USER_ITEMS),
                                                       max_size=8))
    chosen = draw(st.lists(st.integers(0, len(ODD_KEYS) - 1), max_size=2, unique=True))
    odd = [ODD_KEYS[i] for i in chosen]
    for item in odd:
        items.insert(draw(st.integers(len(first), len(items))), item)
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    body = draw(st.sampled_from(["", "# Heading\n\n- 2026-11-20: 6\n", "okr_progress: 3\n"]))
    lines = ["---", *(line for item in items for line in item), "---"]
    text = bom + eol.join(lines) + eol + body.replace("\n", eol)
    return text, bool(odd)
