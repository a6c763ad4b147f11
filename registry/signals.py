"""The deletion guard for cascades: a delete that reaches a registry record is refused.

Instance and queryset ``delete()`` are refused by ``UndeletableModel`` itself; this
receiver covers deletes that arrive through a cascade from another model.
"""
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from registry.exceptions import DeletionRefused
from registry.models import Division, HeritageListing, Place, PlaceName
from registry.models.base import DELETION_REFUSED_MESSAGE


@receiver(pre_delete, sender=Place)
@receiver(pre_delete, sender=PlaceName)
@receiver(pre_delete, sender=HeritageListing)
@receiver(pre_delete, sender=Division)
def refuse_deletion(sender, instance, **kwargs) -> None:
    raise DeletionRefused(str(DELETION_REFUSED_MESSAGE))
