"""Writing into the vault by the safety rules: the one safe writer, the vault
lock, and notes another program is writing now."""
