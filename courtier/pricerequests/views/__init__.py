"""The pages of service acquisitions, by sub-flow: ``files`` (the client's file, step by step),
``broker`` (the validation queue and the template), ``providers`` (a provider's inbox, its
solicitation, its questions, response and questionnaire)."""
