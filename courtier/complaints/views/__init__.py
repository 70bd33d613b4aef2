"""The complaint pages (issue 14 §1): ``pages`` (the list, the form, the detail with the
broker's moves)."""
