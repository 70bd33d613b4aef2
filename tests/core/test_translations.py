"""French first, English complete: every French string has an English translation and the
compiled catalogue matches its source (DEVELOPERS.md, French first)."""

import ast
import gettext
from pathlib import Path

import courtier

LOCALE = Path(courtier.__file__).parent / "locale" / "en" / "LC_MESSAGES"


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgid_plural, msgstr (list), flags."""
    entries: list[dict] = []
    entry: dict = {"flags": set(), "msgstr": {}}
    key = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {"flags": set(), "msgstr": {}}, None
        elif line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, int):
                entry["msgstr"][key] += value
            else:
                entry[key] += value
        else:
            word, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if word.startswith("msgstr"):
                key = int(word[7:-1]) if "[" in word else 0
                entry["msgstr"][key] = value
            else:
                key = word
                entry[key] = value
    return entries


def test_every_string_is_translated_to_english():
    entries = [e for e in read_po(LOCALE / "django.po") if e["msgid"]]
    assert entries
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_its_source():
    with (LOCALE / "django.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for e in read_po(LOCALE / "django.po"):
        if not e["msgid"]:
            continue
        if "msgctxt" in e:  # the same French words meaning another thing (e.g. « Début »)
            assert compiled.pgettext(e["msgctxt"], e["msgid"]) == e["msgstr"][0], e["msgid"]
        elif "msgid_plural" in e:
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstr"][0]
        else:
            assert compiled.gettext(e["msgid"]) == e["msgstr"][0], e["msgid"]
