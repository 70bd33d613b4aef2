"""Amounts in French words, as a contract writes them beside the figures (« 1 234,56 $ (mille
deux cent trente-quatre dollars et cinquante-six cents) »): the numbers by num2words in fr-CA
(« vingt et un », « quatre-vingts », « deux cents », « mille un »), the currency's words and
their agreement here (« un dollar », « un million de dollars »). Pure: no ORM, no translation
(a contract is always written in French, DOMAIN §3.5)."""

from __future__ import annotations

from num2words import num2words

LANG = "fr_CA"
# « un million de dollars », « deux milliards de dollars »: a noun of a number takes « de ».
_NOUNS = ("million", "millions", "milliard", "milliards", "billion", "billions")


def number_in_words(number: int) -> str:
    """``number`` (≥ 0) in French words: 1234 -> « mille deux cent trente-quatre »."""
    if number < 0:
        raise ValueError(number)
    return num2words(number, lang=LANG)


def _counted(number: int, singular: str, plural: str) -> str:
    words = number_in_words(number)
    unit = singular if number < 2 else plural  # « zéro dollar », « un dollar », « deux dollars »
    return f"{words} de {unit}" if words.rsplit(" ", 1)[-1] in _NOUNS else f"{words} {unit}"


def amount_in_words(cents: int) -> str:
    """An amount in cents in French words: 123456 -> « mille deux cent trente-quatre dollars et
    cinquante-six cents », 100 -> « un dollar », 56 -> « cinquante-six cents »; the cents are
    left out when there are none, the dollars when there are only cents."""
    if cents < 0:
        raise ValueError(cents)
    dollars, rest = divmod(int(cents), 100)
    parts = []
    if dollars or not rest:
        parts.append(_counted(dollars, "dollar", "dollars"))
    if rest:
        parts.append(_counted(rest, "cent", "cents"))
    return " et ".join(parts)
