"""The publication pages: a contract's publication page (its SEAO sheet and the contact consent),
the client's sheets to publish (``contract``), and the list of concluded contracts with its
exports (``concluded``)."""
