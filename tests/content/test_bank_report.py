"""The editors' report lists, per template, its questions, its skips and why, and the
test-wise solver's score."""

from __future__ import annotations

from django.core.management import call_command

from content.management.commands.bank_report import reason_class


def test_the_report_lists_each_template_with_its_skips_and_the_solvers_score(shipped_bank, capsys):
    call_command("bank_report", seeds=[0])
    out = capsys.readouterr().out
    for slug in shipped_bank.templates:
        assert f"\n{slug} (" in out
    assert "event-where (mcq, event): " in out
    assert "has no value for the answer field place" in out
    assert "solver 25%" in out
    assert "All templates:" in out and "(chance 25%)" in out


def test_skip_reasons_group_without_their_fact_slugs():
    assert reason_class("fact event-tiger-triumph-2019 has no value for place") == (
        "fact … has no value for place"
    )
