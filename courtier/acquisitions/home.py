"""What acquisitions adds to the menu."""

from __future__ import annotations

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.core import navigation

# Acquisition files: the broker's staff and the client bodies' people (DOMAIN §3).
navigation.entry("acquisitions", lambda user: permissions.has_perm(user, Perm.BROWSE_CATALOGUE))
# Questions to suppliers: the suppliers asked, and the broker who follows delays.
navigation.entry(
    "questions",
    lambda user: (
        permissions.has_perm(user, Perm.ANSWER_QUESTIONS)
        or permissions.has_perm(user, Perm.SEE_ALL_ORGANISATIONS)
    ),
)
