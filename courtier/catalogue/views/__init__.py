"""Pages of the Catalogue (DOMAIN §2; 004 §3.2; 002 §2.2-2.3), one module per sub-flow: the
search and the summary table (search.py), offers, supplier sheets and their dated versions
(sheets.py), proposals edited section by section (drafts.py, prices.py) and their review
(review.py), the providers per qualification and the framework agreements (providers.py),
subscriptions, supporting documents and file downloads; access.py and display.py hold what
they share. The price-file import has its pages in pricefile/views.py.

Access (courtier.accounts.permissions): searching, the provider table, subscriptions and the
supporting documents are for the people who may browse the Catalogue (public bodies and the
broker); a supplier's people see their own sheet, offers and proposals only. What a person
may not see answers 404; what they see but may not do answers 403.
"""
