"""The pages of specific contracts, by sub-flow: ``detail`` (the list, a contract's page and the
dispatch of its forms, the downloads of its versions), ``broker`` (the preparation queue, a
contract made from a frozen source, the preparation forms and the broker's moves), ``signing``
(the client's review and the signatures in order), ``amendments`` (asked, prepared, reviewed,
signed) and ``consumption`` (orders and invoices, their CSV import, termination)."""
