"""One summary of a check, one policy over it, and a check made once being kept (issue #17 item 5)."""

from __future__ import annotations

import pytest

from registry.exceptions import Conflict
from registry.services import steps
from registry.services.proposals import proposal_create, proposal_update
from registry.validation import check_name, enforce
from registry.validation.findings import SUMMARY_RULES_LENGTH, finding, summarize

ERR = finding("DUPLICATE", matches_text="长江中路", scope="合肥市")
WARN = finding("SIMILAR", matches_text="长江中路")
HERITAGE = finding("HERITAGE_PROTECTED", name="柘皋镇", scheme="千年古镇")


@pytest.mark.parametrize(
    "findings, expected",
    [
        ([], ("", "")),
        ([WARN], ("warning", "SIMILAR")),
        ([WARN, ERR, WARN], ("error", "DUPLICATE,SIMILAR")),
        ([("SIMILAR", "warning", ""), ("DUPLICATE", "error", "m")], ("error", "DUPLICATE,SIMILAR")),
        (
            [("X" * 200, "warning"), ("Y" * 200, "warning")],
            ("warning", ("X" * 200 + "," + "Y" * 200)[:SUMMARY_RULES_LENGTH]),
        ),
    ],
)
def test_summary(findings, expected):
    assert summarize(findings) == expected


def test_check_result_summary_is_the_stored_one(db, shushan):
    result = check_name("大道", "road", division=shushan)
    assert result.summary() == (result.level, ",".join(result.rules()))
    assert result.errors == [f for f in result.findings if f.is_error]


@pytest.mark.parametrize(
    "findings, reason, heritage, refusal",
    [
        ([], "", True, None),
        ([WARN], "", True, None),
        ([ERR], "", False, "approving needs a written override reason"),
        ([ERR], "  ", False, "approving needs a written override reason"),
        ([ERR, WARN], "历史地名，保留", False, None),
        ([HERITAGE], "", True, "Record the heritage protection measures"),
        ([HERITAGE], "override", True, "Record the heritage protection measures"),
        ([HERITAGE], "", False, None),
    ],
)
def test_enforce(findings, reason, heritage, refusal):
    if refusal is None:
        enforce(findings, override_reason=reason, protects_heritage=heritage)
        return
    with pytest.raises(Conflict, match=refusal):
        enforce(findings, override_reason=reason, protects_heritage=heritage)


@pytest.fixture
def clerk(db, django_user_model):
    return django_user_model.objects.create_superuser("policy-clerk", password="x")


@pytest.fixture
def judgements(monkeypatch):
    calls = []
    real = steps.check_name

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(steps, "check_name", counted)
    return calls


def test_a_current_check_is_kept(clerk, shushan, judgements):
    made = check_name("望湖新路", "road", division=shushan)
    proposal = proposal_create(
        action="name", name="望湖新路", category="road", division=shushan, reason="x", drafted_by=clerk, check=made
    )
    assert judgements == []
    assert proposal.check_findings == [f.as_dict() for f in made.findings]
    assert proposal.check_level == (made.level or "ok")


def test_a_check_of_another_name_or_pinyin_is_not_kept(clerk, shushan, judgements):
    made = check_name("望湖新路", "road", division=shushan)
    proposal_create(
        action="name", name="望湖北路", category="road", division=shushan, reason="x", drafted_by=clerk, check=made
    )
    proposal = proposal_create(
        action="name",
        name="望湖新路",
        category="road",
        division=shushan,
        pinyin="Wanghu Road",
        reason="x",
        drafted_by=clerk,
        check=made,
    )
    assert judgements == ["望湖北路", "望湖新路"]
    assert "ROMANIZATION" in {f["rule"] for f in proposal.check_findings}
    proposal = proposal_update(proposal=proposal, acting_user=clerk, pinyin="", check=made)
    assert judgements == ["望湖北路", "望湖新路"] and proposal.check_findings == [f.as_dict() for f in made.findings]


def test_a_check_made_before_the_registry_changed_is_judged_again(clerk, shushan, make_place, judgements):
    made = check_name("望湖新路", "road", division=shushan)
    assert made.ok
    make_place("望湖新路")
    proposal = proposal_create(
        action="name", name="望湖新路", category="road", division=shushan, reason="x", drafted_by=clerk, check=made
    )
    assert judgements == ["望湖新路"]
    assert "DUPLICATE" in {f["rule"] for f in proposal.check_findings}


def test_a_check_with_details_given_is_never_kept(db, shushan):
    assert check_name("望湖新路", "road", division=shushan, details={"width_m": 3}).basis is None
