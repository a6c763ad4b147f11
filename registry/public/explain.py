"""The name check in plain words: for each rule, why it exists and what to do instead.

The checker's findings carry a rule code, a label (重名, 外语词 …) and a message; a
member of the public also needs the reason behind the rule (the 地名管理条例 and its
standards) and a way out. The texts are translatable (Chinese by default).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

WHY = {
    "DUPLICATE": _(
        "Two places of the same kind in one area may not share a name: letters, ambulances and "
        "navigation would go to the wrong one (地名管理条例 Art. 9)."
    ),
    "HOMOPHONE": _("Names that sound the same are confused on the phone and by voice navigation."),
    "SIMILAR": _("A name one character away from an existing one is easily mistaken for it."),
    "BARE_GENERIC": _("A name needs its own specific part; 路 or 村 alone names nothing."),
    "MISSING_GENERIC": _(
        "A standard name ends with the generic term of its kind (路, 街, 桥, 村 …), so that "
        "everyone knows what it names."
    ),
    "STACKED_GENERIC": _("One generic term is enough; two in a row make the name unclear."),
    "GENERIC_MISMATCH": _(
        "The generic term must match the kind of place: a road is not a 河 and a residential area is not a 路."
    ),
    "GENERIC_SCALE": _("Terms such as 大道 or 广场 promise a size the place does not have."),
    "EXAGGERATED": _("Names are not to be exaggerated (the “大” in 大、洋、怪、重)."),
    "FOREIGN": _("Names are not to imitate foreign names (the “洋”)."),
    "FEUDAL": _("Names are not to carry feudal or odd colouring (the “怪”)."),
    "VULGAR": _("Names must not carry an unhealthy or vulgar meaning."),
    "PERSON_NAME": _("Places are generally not named after people; exceptions need a special decision."),
    "COMMERCIAL": _("A company's name or trademark is not a place name."),
    "NON_HANZI": _("A standard place name is written in standard Chinese characters only."),
    "NON_STANDARD_CHARACTER": _(
        "Place names use the standard forms of the 通用规范汉字表, not traditional or variant characters."
    ),
    "RARE_CHARACTER": _("Rare characters are hard to read, type and pronounce."),
    "TOO_LONG": _("Long names are hard to remember and do not fit on road signs."),
    "ROMANIZATION": _("The pinyin of a place name follows the 1984 spelling rules (GB/T 16159)."),
    "HERITAGE_PROTECTED": _("The name is on a heritage protection list; changing it needs protection measures first."),
    "RESERVED": _("The naming office keeps this name in its name bank for a future feature."),
}

INSTEAD = {
    "DUPLICATE": _("Choose another specific part, for example from local history, landscape or a nearby feature."),
    "HOMOPHONE": _("Choose a specific part that sounds different from the name listed."),
    "SIMILAR": _("Check that you did not mean the existing name; otherwise choose a clearly different one."),
    "BARE_GENERIC": _("Add a specific part before the generic term, e.g. 长江 in 长江路."),
    "MISSING_GENERIC": _("End the name with the generic term of its kind."),
    "STACKED_GENERIC": _("Keep only the generic term that fits."),
    "GENERIC_MISMATCH": _("Use a generic term of this kind of place."),
    "GENERIC_SCALE": _("Use a more modest generic term (路 instead of 大道, 园 instead of 广场)."),
    "EXAGGERATED": _("Drop the boastful word."),
    "FOREIGN": _("Use a Chinese name with a local meaning."),
    "FEUDAL": _("Choose a name without the feudal colouring."),
    "VULGAR": _("Choose another name."),
    "PERSON_NAME": _("Name the place after its history, landscape or a nearby feature instead."),
    "COMMERCIAL": _("Name the place independently of any company."),
    "NON_HANZI": _("Write the name in Chinese characters only; letters and digits belong elsewhere."),
    "NON_STANDARD_CHARACTER": _("Use the standard forms shown in the message."),
    "RARE_CHARACTER": _("Prefer common characters."),
    "TOO_LONG": _("Shorten the name."),
    "ROMANIZATION": _("Use the standard spelling shown in the message."),
    "HERITAGE_PROTECTED": _("Keep the historical name, or ask the civil-affairs bureau about protection measures."),
    "RESERVED": _("Choose another name, or ask the civil-affairs bureau whether the bank name may be taken."),
}


def explained(finding) -> dict:
    """A finding as the public page shows it: label, severity, message, why, what instead."""
    return {
        "label": finding.label,
        "severity": finding.severity,
        "is_error": finding.is_error,
        "message": finding.message,
        "why": WHY.get(finding.rule, ""),
        "instead": INSTEAD.get(finding.rule, ""),
        "matches": [m.name for m in finding.matches][:5],
    }
