"""The vault's settings: every setting declared once (settings.py),
vaultokr.toml and Obsidian's settings read (vault_config.py), and which
folder is the vault (locate.py)."""
