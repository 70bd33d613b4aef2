"""Tooling for the project's checks (not shipped with the package)."""
