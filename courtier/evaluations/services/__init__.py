"""The services of evaluations, by part: ``grid`` (the versions of the grid), ``campaigns`` (the
annual campaigns, the clients' grids, the reminders) and ``end`` (the end-of-contract evaluation
of an RCTI client, RCTI art. 82)."""
