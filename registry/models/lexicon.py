"""Word lists the bureau edits: the 大/洋/怪 words, vulgar, commercial and person names,
and the allow-list of approved exceptions.

Seeded from the shipped files in ``registry/validation/data`` by a data migration; after
that the tables are the truth and staff edit them in the admin. Every save or delete
bumps the ``lexicon`` revision, so that each process's cached matcher notices the edit
on its next check without a restart.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models.base import TimeStamped


class WordList(models.TextChoices):
    EXAGGERATED = "exaggerated", _("Exaggerated (大)")
    FOREIGN = "foreign", _("Foreign (洋)")
    FEUDAL = "feudal", _("Feudal (怪)")
    VULGAR = "vulgar", _("Vulgar")
    COMMERCIAL = "commercial", _("Enterprise or trademark")
    PERSON = "person", _("Person name")


class Severity(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")


class WordListEntry(TimeStamped):
    word_list = models.CharField(_("word list"), max_length=12, choices=WordList.choices, db_index=True)
    term = models.CharField(_("term"), max_length=60)
    kind = models.CharField(_("kind"), max_length=30, blank=True)
    severity = models.CharField(
        _("severity"),
        max_length=8,
        choices=Severity.choices,
        blank=True,
        help_text=_("Empty: the rule's default severity."),
    )
    ambiguous = models.BooleanField(
        _("ambiguous"),
        default=False,
        help_text=_("Also an ordinary word: it is flagged only when it is the whole specific of a name."),
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    history = HistoricalRecords(verbose_name=_("word list history"), verbose_name_plural=_("word list history"))

    class Meta:
        verbose_name = _("word list entry")
        verbose_name_plural = _("word lists")
        ordering = ["word_list", "term"]
        constraints = [models.UniqueConstraint(fields=["word_list", "term"], name="one_term_per_word_list")]

    def __str__(self) -> str:
        return f"{self.get_word_list_display()}: {self.term}"


class AllowListEntry(TimeStamped):
    """An approved exception: the exact name ``term`` is not flagged for ``rules``."""

    term = models.CharField(_("name"), max_length=100, unique=True)
    rules = models.CharField(
        _("rules"), max_length=200, help_text=_("Rule codes separated by commas, or * for every word-list rule.")
    )
    reason = models.TextField(_("reason"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(verbose_name=_("allow-list history"), verbose_name_plural=_("allow-list history"))

    class Meta:
        verbose_name = _("allow-list entry")
        verbose_name_plural = _("allow-list")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    def rule_set(self) -> frozenset[str]:
        return frozenset(r.strip().upper() for r in self.rules.split(",") if r.strip())


class Revision(models.Model):
    """Monotonic counters that tell each process its caches are stale.

    ``places``: taken once by every transaction that writes places, names, heritage
    listings or divisions, so a row's ``Place.revision`` orders writes by commit (the
    row lock is held to commit). ``lexicon``: taken by every transaction that edits the
    word lists or the allow-list. ``imports``: by an import writing its record. See
    ``registry.freshness``.
    """

    name = models.CharField(_("counter"), max_length=20, primary_key=True)
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("revision counter")
        verbose_name_plural = _("revision counters")
