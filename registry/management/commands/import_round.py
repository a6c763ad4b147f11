"""``manage.py import_round FILE --title … [--dry-run]``: a naming round from a spreadsheet.

CSV (UTF-8 or GBK) or XLSX, one row per item (``registry.importers.rounds``): all or
nothing, every problem by row and column; one bad row and the round is not created (the
command exits non-zero). ``--dry-run`` reads and checks without keeping anything.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from registry.importers.readers import FileProblem
from registry.importers.rounds import RoundFileProblems, round_import
from registry.validation.round_checks import finding_label


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Import a naming round (命名批次) from CSV or XLSX: all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--title", required=True)
        parser.add_argument("--organisers", default="")
        parser.add_argument("--authority", default="")
        parser.add_argument("--user", required=True, help="the clerk the round is drafted by")
        parser.add_argument("--encoding", default="auto")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):  # problems in Chinese, as the bureau reads them
            self._import(options)

    def _import(self, options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"用户“{options['user']}”不存在。")
        try:
            with transaction.atomic():
                round_ = round_import(
                    options["file"],
                    title=options["title"],
                    drafted_by=user,
                    organisers=options["organisers"],
                    authority=options["authority"],
                    encoding=options["encoding"],
                )
                self._summary(round_)
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            self.stdout.write("试运行：未写入任何内容。")
            return
        except RoundFileProblems as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} 个问题；命名批次未创建。") from None
        except FileProblem as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"命名批次 #{round_.pk} 已创建。")

    def _summary(self, round_) -> None:
        items = list(round_.items.all())
        flagged = [item for item in items if item.findings]
        self.stdout.write(f"{len(items)} 项，{len(flagged)} 项有检查结果：")
        for item in flagged:
            rules = "、".join(sorted({finding_label(f["rule"]) for f in item.findings}))
            self.stdout.write(f"  第{item.position}项 {item.name}：{rules}")
