"""Stored files are reached through what points at them (a sheet version, a document...), which
decides who sees them; listed alone, they are open to the Catalogue's readers only, and
nobody changes them."""

from courtier.accounts.permissions import Policy, all_to, never, register
from courtier.accounts.rules import Perm
from courtier.files.models import StoredFile

register(StoredFile, Policy(scope=all_to(Perm.BROWSE_CATALOGUE), change=never))
