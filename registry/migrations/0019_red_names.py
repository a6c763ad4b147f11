"""Approved exceptions for two red place names on 巢湖市's first heritage list.

蒋家河口战斗遗址 and 温家套惨案遗址 are on 巢湖市's first 地名文化遗产保护名录 (category
近现代重要地名及红色地名; HEFEI_FACTS.md §2.3). Their generic 遗址 is not a building
generic, so the name check would call them MISSING_GENERIC errors and the importer
would refuse them on a re-import. They are recorded as they are listed; the allow-list
(like migration 0004's seed) is where such an exception lives, with its reason and
source, in every registry, not only in one holding the demo data. An entry already
present is left alone; the ``lexicon`` counter moves so running processes reload.
"""

from django.db import migrations
from django.db.models import F

SOURCE = "m.sschbkj.com/thread-626292-1-6.html (合肥在线转载) [N repost]"
REASON = ("巢湖市首批地名文化遗产保护名录所列“近现代重要地名及红色地名”，按名录原名记录；"
          "“遗址”不在建筑物通名表中(来源为论坛转载，名录原文未见)")
TERMS = ("蒋家河口战斗遗址", "温家套惨案遗址")


def seed(apps, schema_editor):
    AllowListEntry = apps.get_model("registry", "AllowListEntry")
    Revision = apps.get_model("registry", "Revision")
    for term in TERMS:
        AllowListEntry.objects.get_or_create(
            term=term, defaults={"rules": "MISSING_GENERIC", "reason": REASON, "source": SOURCE})
    Revision.objects.get_or_create(name="lexicon")
    Revision.objects.filter(name="lexicon").update(value=F("value") + 1)


class Migration(migrations.Migration):
    dependencies = [("registry", "0018_filing")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
