"""Writes for the Catalogue, one module per sub-domain: proposals of supplier sheets and the
moves of their review (drafts.py, run by the workflow of ../workflow.py), their price lists
(prices.py), what the publication of a dated sheet version checks and writes, with the change
history and the projection the search reads (publication.py, bound to the publish move),
subscriptions, framework agreements and qualifications (agreements.py), and supporting
documents. checks.py holds what the proposal services check in common.

Each function is atomic, locks what it changes, checks the rules, writes one audit event per
change and queues its emails for after the commit.
"""
