"""The only writers of feedback and complaints (issue 14 §1; 002 §4.6): ``complaints`` (the
client's people send one; the broker's administrators and agents assign, answer and close it)."""
