"""The only writers of exit plans: ``plans`` (the plan, its activities and its moves) and
``warnings`` (the daily warning before a contract's end)."""
