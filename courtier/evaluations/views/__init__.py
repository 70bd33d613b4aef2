"""The pages of evaluations, by part: ``broker`` (the grid versions, the campaigns and their
summary), ``requests`` (the index and a client's grid) and ``end`` (the end-of-contract
evaluations of RCTI contracts)."""
