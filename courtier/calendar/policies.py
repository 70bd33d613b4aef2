"""The calendar is the same for everyone signed in; only the broker's admins change it."""

from courtier.accounts.permissions import Policy, everyone, holding, register
from courtier.accounts.rules import Perm
from courtier.calendar.models import ClosureDay

register(ClosureDay, Policy(scope=everyone, change=holding(Perm.MANAGE_CALENDAR)))
