"""Issue 9, "`checkin` can replace a whole note with two lines", and its
other checkin cases, through ``vaultokr checkin``."""

from __future__ import annotations

import pathlib
import threading
from pathlib import Path

import pytest
from support.cli import invoke as cli
from support.safety import KR, OBJ, make_vault, temp_files

NOTE = ("---\ntype: key-result\nobjective: \"[[O]]\"\ntitle: Evenings worked per week\n"
        "unit: evenings\nbaseline: 4\ntarget: 1\n---\nA decreasing target: fewer is better.\n"
        + "".join(f"Line {i} of what I wrote.\n" for i in range(200)))


def checkin(root: Path, *args: str) -> tuple[int, str]:
    ran = cli("checkin", "Evenings worked per week", *args, "--vault", str(root))
    ran.assert_clean()
    return ran.code, ran.output


def test_a_note_being_saved_in_place_is_never_replaced_by_its_log(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor truncates the note just as checkin reads it and writes the
    text back a second later (an in-place save)."""
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": NOTE})
    note = root / "K.md"
    real_read_bytes = pathlib.Path.read_bytes
    saves: list[threading.Timer] = []

    def read_during_a_save(self: pathlib.Path) -> bytes:
        if self.name == "K.md" and not saves:
            note.write_bytes(b"")  # the editor's open(..., "w")
            saves.append(threading.Timer(1.0, lambda: note.write_text(NOTE)))
            saves[0].start()
        return real_read_bytes(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_during_a_save)
    code, output = checkin(root, "7", "--date", "2026-11-18")
    assert saves, "the in-place save was not injected: checkin no longer reads with read_bytes"
    assert note.read_bytes() != b"## Log\n- 2026-11-18: 7\n"  # what the editor would reload
    saves[0].join()
    data = note.read_bytes()
    assert data != b"## Log\n- 2026-11-18: 7\n"
    assert data in (NOTE.encode(), NOTE.encode() + b"\n## Log\n- 2026-11-18: 7\n"), data[:200]
    if data == NOTE.encode():
        assert code != 0 and "K.md" in output
    assert temp_files(root) == []


def test_crlf_front_matter_and_an_lf_body(tmp_path: Path) -> None:
    head, body = NOTE.split("---\nA decreasing", 1)
    note = (head.replace("\n", "\r\n") + "---\r\nA decreasing" + body + "## Log\n"
            "- 2026-11-02: 3\n").encode()
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": note})
    code, output = checkin(root, "2", "--date", "2026-11-18")
    data = (root / "K.md").read_bytes()
    if code == 0:
        assert data == note + b"- 2026-11-18: 2\n"
    else:
        assert data == note and "K.md" in output


def test_a_log_ending_in_an_open_fence(tmp_path: Path) -> None:
    note = (NOTE + "## Log\n- 2026-11-02: 3\n```\nunfinished code\n").encode()
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": note})
    code, output = checkin(root, "2", "--date", "2026-11-18")
    if code != 0:
        assert (root / "K.md").read_bytes() == note and "K.md" in output
        return
    export = cli("export", str(root), "--format", "csv", "--measurements", "--as-of",
                 "2026-11-20")
    assert "2026-11-18" in export.output, (root / "K.md").read_text()[-200:]


def test_a_checkin_appends_exactly_one_line(tmp_path: Path) -> None:
    """The baseline the cases above are judged against."""
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": NOTE, "T.md": KR})
    code, _ = checkin(root, "2", "--date", "2026-11-18")
    assert code == 0
    assert (root / "K.md").read_bytes() == (NOTE + "\n## Log\n- 2026-11-18: 2\n").encode()
