"""What an operating-system error means for the user, and what to do.

Every ``OSError`` met while writing (and reading outputs back) becomes a
sentence naming the cause and the remedy; the caller names the file. An OS
error is never an internal error: the file is left as it was and the rest of
the vault is processed.
"""

from __future__ import annotations

import errno

_REASONS: dict[int, str] = {
    errno.ENOSPC: "the disk is full (or has no free inodes): free some space, then run "
                  "vaultokr again",
    errno.EDQUOT: "the disk quota is used up: free some space, then run vaultokr again",
    errno.EROFS: "the vault is on a read-only file system: make it writable, or use "
                 "vaultokr check, which writes nothing",
    errno.EACCES: "permission denied: give your user write access to the file and its folder "
                  "(chmod u+w), or run vaultokr as their owner",
    errno.EPERM: "operation not permitted: give your user write access to the file and its "
                 "folder, or run vaultokr as their owner",
    errno.ENAMETOOLONG: "the name is too long for the file system: shorten the note's name or "
                        "the output path",
    errno.EISDIR: "a folder is where a file is expected: move the folder away",
    errno.ENOTDIR: "a file is where a folder is expected: move the file away",
    errno.ELOOP: "a symbolic link is in the way; vaultokr does not write through links",
    errno.EEXIST: "something else appeared at this path meanwhile: run vaultokr again",
}


def os_reason(exc: OSError) -> str:
    """Why the operation failed, and what to do, in one sentence."""
    reason = _REASONS.get(exc.errno or 0)
    if reason is not None:
        return reason
    return f"{exc.strerror or exc}: check the file and its folder, then run vaultokr again"
