"""The shipped stillness a one-shot build waits for before it rewrites a note
with a region (``vaultokr.write.inflight.STILL``), taken before the suite's
fixture sets it to 0 for in-process builds: tests that are about the wait
put it back."""

from __future__ import annotations

from vaultokr.write import inflight

SHIPPED_STILL: float = inflight.STILL
