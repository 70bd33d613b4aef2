"""Pages of acquisition files (DOMAIN §3; 002 §2): the list, a new file, one guided page per
file through the five steps (questionnaire and consumption plan, candidates from the Catalogue,
compliance grid, questions and trials, scenarios with their comparison and chart, choice and
authorisations, startup meeting and frozen strategy), the file's documents, and the suppliers'
inbox of questions. One module per sub-flow (``files``, ``needs``, ``candidates``,
``questions``, ``scenarios``, ``startup``); ``page`` builds the guided page, ``chart`` its
comparison chart, ``common`` the helpers they share.

Access (courtier.accounts.permissions): a file is seen by its client's people, the member bodies
of a group purchase and the broker's staff; a file another person may not see answers 404. The
client's people who run acquisitions change it (others who see it get 403); the broker's agents
convene the startup meeting and freeze the strategy; suppliers see only the questions addressed
to them. Every POST calls one service: refused, the page comes back with 422 and the service's
French messages; done, it redirects (PRG) with a message.
"""
