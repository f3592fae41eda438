"""What is kept between runs so that work already done is not done again:
parsed notes (index.py), answers on an unchanged vault, the last build's
inputs, and what a watch rebuild can reuse."""
