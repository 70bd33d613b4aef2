"""The writers of the publication app: the SEAO sheet (``seao``) and the contact consents
(``consents``)."""
