"""Planning an import's name check: each distinct name romanized once, the registry and
the file grouped for comparison, one row judged for each group of alike rows.

``plan`` romanizes in forked workers (``workers.map_chunks``), builds the batch
comparisons (``validation.batch``: the stored active places and the file's active rows
as ``Entry`` rows, each incoming row known by its line) and returns the judging as a
``workers.Job``, which ``importers.places`` starts while it writes. ``collect`` gathers
the findings as they come back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from registry.choices import PlaceStatus
from registry.importers.rows import PlaceRow
from registry.models import Place
from registry.place_rows import Spelling
from registry.romanization import Romanization, romanize
from registry.validation.batch import Comparisons, Entry
from registry.validation.comparisons import scope_prefix
from registry.validation.normalize import name_key
from registry.workers import Job, map_chunks


@dataclass
class CheckState:
    """What the judging workers read, prepared before they fork (``comparisons`` is let go
    of by this process once they have their copy)."""

    lexicon: object
    comparisons: Comparisons | None
    spellings: dict[tuple[str, str], Spelling]
    rows: list[PlaceRow]


@dataclass
class Plan:
    """What the name check of an import needs, prepared before the workers fork."""

    roman: dict[tuple[str, str], Spelling] = field(default_factory=dict)  # for each distinct (name, category)
    work: list[int] = field(default_factory=list)  # one row (its index) of each group of alike rows
    state: CheckState | None = None

    def job(self) -> Job:
        """The judging of ``work``: (line, ((rule, severity, message), …)) for each row judged."""
        return Job(judge_chunk, self.work, self.state)

    def let_go(self) -> None:
        """The workers have forked with the comparisons: this process writes without them."""
        if self.state is not None:
            self.state.comparisons = None


def judge_chunk(state: CheckState, chunk: list[int]) -> list[tuple]:
    """(line, ((rule, severity, message), …)) for each row (by its index in the import) of a chunk."""
    out = []
    comparisons, lexicon, spellings, rows = state.comparisons, state.lexicon, state.spellings, state.rows
    for index in chunk:
        row = rows[index]
        if row.pinyin:  # a given pinyin is compared with every standard form, tone marks included
            roman = romanize(row.name, row.category)
        else:
            s = spellings[(row.name, row.category)]
            roman = Romanization(s.pinyin, s.pinyin.upper(), s.key, s.initials, (), row.name)
        findings = comparisons.judge(
            row.name,
            row.category,
            division_code=row.division,
            line=row.line,
            pinyin=row.pinyin,
            details=None,
            lexicon=lexicon,
            roman=roman,
        )
        # The message only for errors, which are reported row by row; warnings are counted.
        out.append((row.line, tuple((f.rule, f.severity, f.message if f.is_error else "") for f in findings)))
    return out


def _romanize_chunk(_state, chunk: list[tuple[str, str]]) -> list[tuple]:
    out = []
    for name, category in chunk:
        roman = romanize(name, category)
        key = name_key(name, category)
        out.append((roman.pinyin, roman.key, roman.initials, None if key == name else key))  # None: the name itself
    return out


def _spellings(rows: list[PlaceRow], workers: int | None) -> dict[tuple[str, str], Spelling]:
    """Each distinct (name, category) of the file romanized once (the workers send plain
    strings back: pickling 50k ``Romanization`` objects costs more than making them)."""
    distinct = list(
        dict.fromkeys(
            [(r.name, r.category) for r in rows]
            + [(n, r.category) for r in rows for n, _s, _e in r.former]
            + [(e["name"], r.category) for r in rows for e in r.names or ()]
        )
    )
    spellings = {}
    for (name, category), (pinyin, key, initials, comparison) in zip(
        distinct, map_chunks(Job(_romanize_chunk, distinct), workers=workers)
    ):
        spellings[(name, category)] = Spelling(pinyin, key, initials, name if comparison is None else comparison)
    return spellings


def _entries(rows: list[PlaceRow], spellings: dict[tuple[str, str], Spelling]) -> Iterator[Entry]:
    """The names to compare with: every stored active place, then the file's active rows."""
    existing = (
        Place.objects.filter(status=PlaceStatus.ACTIVE)
        .values_list("pk", "code", "name", "category", "division_id", "name_key", "pinyin_key")
        .iterator(chunk_size=10_000)
    )
    incoming = (
        Entry.incoming(
            r.line,
            r.code or None,
            r.name,
            r.category,
            r.division,
            spellings[(r.name, r.category)].name_key,
            spellings[(r.name, r.category)].key,
        )
        for r in rows
        if r.status == PlaceStatus.ACTIVE
    )
    return chain((Entry.place(*row) for row in existing), incoming)


def plan(rows: list[PlaceRow], workers: int | None) -> Plan:
    """Romanize each distinct name once (in worker processes), group the registry and the file
    for comparisons, and pick the rows to judge."""
    from registry.freshness import snapshot
    from registry.validation.lexicon import get_lexicon

    made = Plan()
    if not rows:
        made.state = CheckState(None, None, made.roman, rows)
        return made
    made.roman = _spellings(rows, workers)
    made.state = CheckState(get_lexicon(snapshot().lexicon), Comparisons(_entries(rows, made.roman)), made.roman, rows)
    # Rows alike in everything the check reads (the name, its scope, the given pinyin,
    # whether the row is active and so one of the compared places) get the same rules:
    # each sees the same others, itself left out. One is judged for all of them.
    representative: dict[tuple, int] = {}
    prefixes: dict[tuple[str, str], str] = {}  # one string per scope, not one per row
    for index, r in enumerate(rows):
        prefix = prefixes.get((r.category, r.division))
        if prefix is None:
            prefix = prefixes[(r.category, r.division)] = scope_prefix(r.category, r.division)
        alike = (r.name, r.category, prefix, r.pinyin, r.status == PlaceStatus.ACTIVE)
        if alike not in representative:
            representative[alike] = r.line
            made.work.append(index)
        r.judged_as = representative[alike]
    return made


def collect(judging, progress: Callable[..., None], total: int) -> dict[int, tuple]:
    """{line: findings} of the judged rows, each distinct set of findings held once."""
    found: dict[int, tuple] = {}
    seen: dict[tuple, tuple] = {}
    for count, (line, rules) in enumerate(judging, start=1):
        found[line] = seen.setdefault(rules, rules)
        if count % 1000 == 0 or count == total:
            progress(count % 1000 or 1000, "check", total)
    return found
