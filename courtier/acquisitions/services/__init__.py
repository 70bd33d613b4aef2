"""Writes for acquisition files (DOMAIN §3; 002 §2), one module per sub-domain: ``needs`` (the
file and step 1), ``candidates`` (steps 2-3), ``questions`` (questions to suppliers and trials),
``scenarios`` (step 4), ``startup`` (step 5), ``transitions`` (moves between steps, through
``acquisitions.workflow``), ``moves`` (what those moves write and what follows them),
``documents`` (keeping the file's documents) and ``overdue`` (late questions).

Each function is atomic, locks the file it changes, checks the rules, writes one audit event per
change and queues its emails and the rendering of its documents for after the commit.
"""
