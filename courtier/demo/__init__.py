"""The demo (`courtier demo`): see loaders.py."""
