"""The only writers of specific contracts, one module per sub-domain: ``creation`` (from a frozen
strategy or a handoff package, and the preparation), ``generation`` (the PDF from the broker's
template), ``transitions`` (the review, validation and its stamp), ``signing`` (signatures in
order, the transmission to the broker), ``amendments``, ``consumption``, ``termination`` and
``dates`` (in force, ended)."""
