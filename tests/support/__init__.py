"""What the tests share: vault builders, the CLI runner, folder snapshots,
waits. Each helper has its own small tests in tests/support/."""
