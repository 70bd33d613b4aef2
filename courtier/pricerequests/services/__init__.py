"""The only writers of service acquisitions (DOMAIN §4), one module per sub-domain: ``files``
(the file, its needs, its qualifications and shortlist, its moves), ``requests`` (the template,
the price request and its validation, sending, changes, cancelling), ``questions``,
``responses`` (responses and non-participation questionnaires), ``choice`` (completeness, the
choice and its authorisations), and ``moves`` (what the workflows write and do after commit)."""
