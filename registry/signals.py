"""Signal receivers: the deletion guard for cascades, and the word lists' revision (``freshness``).

The deletion guard: a delete that reaches a registry record is refused.

Instance and queryset ``delete()`` are refused by ``UndeletableModel`` itself; this
receiver covers deletes that arrive through a cascade from another model.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from registry.exceptions import DeletionRefused
from registry.models import (
    AllowListEntry,
    Division,
    HeritageListing,
    Place,
    PlaceName,
    Proposal,
    ProposalEvent,
    WordListEntry,
)
from registry.models.base import DELETION_REFUSED_MESSAGE


@receiver(pre_delete, sender=Place)
@receiver(pre_delete, sender=PlaceName)
@receiver(pre_delete, sender=HeritageListing)
@receiver(pre_delete, sender=Division)
@receiver(pre_delete, sender=Proposal)
@receiver(pre_delete, sender=ProposalEvent)
def refuse_deletion(sender, instance, **kwargs) -> None:
    raise DeletionRefused(str(DELETION_REFUSED_MESSAGE))


@receiver(post_save, sender=WordListEntry)
@receiver(post_delete, sender=WordListEntry)
@receiver(post_save, sender=AllowListEntry)
@receiver(post_delete, sender=AllowListEntry)
def word_lists_changed(sender, **kwargs) -> None:
    """Tell every process's cached matcher that the word lists changed."""
    from registry import freshness

    freshness.lock(freshness.LEXICON)
