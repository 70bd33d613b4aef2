"""The documents an acquisition file produces and keeps as its choice support (DOMAIN §7; issue
4, point 7), one module per step: ``needs`` (step 1), ``compliance`` (the compliant list and the
suppliers' questions, step 3), ``comparison`` and ``comparison_pdf`` (the scenario comparison,
step 4, XLSX and PDF with its chart), ``startup`` (the meeting's agenda and the frozen strategy,
step 5, 002 §2.5); ``common`` holds what they share. Each PDF is a template under
``acquisitions/templates/acquisitions/documents/`` rendered as PDF/A by ``core.pdf``.

Pure reads of the objects passed in: nothing here writes (``services.documents`` keeps what
these return, rendered after the commit by ``acquisitions.tasks.render_file_document``). Always
in French (the file's record), whatever the reader's language.
"""
