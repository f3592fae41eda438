"""Reading the vault's files: which files are notes (listing.py), one entry
per note (entries.py), front-matter and body (frontmatter.py,
yaml_values.py, plain_yaml.py, markdown.py), wikilinks (links.py), and what
vaultokr owns in a note (ownership.py, regions.py)."""
