"""Write the transliteration model's shipped counts from its recorded sources.

Run after editing ``registry/validation/data/translit_train.tsv``, ``native_train.tsv``,
``foreign.tsv`` or ``innocent_names.tsv``, or after upgrading pypinyin (whose phrase
dictionary is the general vocabulary): a test fails until the file matches them again.
"""

from django.core.management.base import BaseCommand

from registry.validation.translit_model import COUNTS_FILE, write_counts


class Command(BaseCommand):
    help = "Rebuild registry/validation/data/translit_counts.tsv.gz from the model's training lists."

    def handle(self, *args, **options):
        bigrams = write_counts()
        self.stdout.write(f"{COUNTS_FILE}: {bigrams} bigram counts")
