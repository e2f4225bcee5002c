"""load_content / dump_content: idempotent upserts, faithful round trips, clean failures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from content.bank_io import dump_bank, load_bank, read_bank
from content.models import Citation, Conflict, Fact, FactKind, QuestionTemplate, Source, Topic

MODELS = [Source, Topic, FactKind, Fact, Citation, QuestionTemplate, Conflict]


def snapshot():
    return {
        m.__name__: sorted(
            tuple(sorted((k, str(v)) for k, v in row.items() if k != "updated_at"))
            for row in m.objects.values()
        )
        for m in MODELS
    }


@pytest.mark.django_db
def test_loading_twice_changes_nothing(settings):
    first = load_bank(settings.CONTENT_BANK_DIR)
    assert first["fact created"] >= 100
    before = snapshot()
    stamps = dict(Fact.objects.values_list("slug", "updated_at"))
    assert load_bank(settings.CONTENT_BANK_DIR) == {}
    assert snapshot() == before
    assert dict(Fact.objects.values_list("slug", "updated_at")) == stamps


@pytest.mark.django_db
def test_the_command_reports_an_up_to_date_bank(settings, capsys):
    call_command("load_content")
    call_command("load_content")
    assert "already up to date" in capsys.readouterr().out


@pytest.mark.django_db
def test_dump_writes_the_shipped_files_back_byte_for_byte(settings, tmp_path):
    load_bank(settings.CONTENT_BANK_DIR)
    dump_bank(tmp_path)
    shipped = Path(settings.CONTENT_BANK_DIR)
    for path in sorted(shipped.rglob("*.yaml")):
        relative = path.relative_to(shipped)
        assert (tmp_path / relative).read_text() == path.read_text(), relative
    assert {p.relative_to(tmp_path) for p in tmp_path.rglob("*.yaml")} == {
        p.relative_to(shipped) for p in shipped.rglob("*.yaml")
    }


@pytest.mark.django_db
def test_an_admin_edit_round_trips_through_dump_and_load(settings, tmp_path):
    load_bank(settings.CONTENT_BANK_DIR)
    fact = Fact.objects.filter(status=Fact.Status.PUBLISHED).first()
    fact.notes = "Checked against the joint statement."
    fact.save()
    dump_bank(tmp_path)
    # The files now say what the database says: no change, no conflict.
    report = load_bank(tmp_path)
    assert report == {} and report.conflicts == []
    fact.refresh_from_db()
    assert fact.notes == "Checked against the joint statement."
    # ... and the dumped files are the new baseline: a later file change is loaded.
    path = tmp_path / "facts" / f"{fact.kind.slug}.yaml"
    path.write_text(path.read_text().replace("Checked against", "Re-checked against"))
    assert load_bank(tmp_path) == {"fact updated": 1}
    fact.refresh_from_db()
    assert fact.notes == "Re-checked against the joint statement."


def _broken_copy(settings, tmp_path, mutate):
    target = tmp_path / "bank"
    shutil.copytree(settings.CONTENT_BANK_DIR, target)
    path = next((target / "facts").glob("*.yaml"))
    items = yaml.safe_load(path.read_text())
    mutate(items)
    path.write_text(yaml.safe_dump(items, allow_unicode=True))
    return target


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda items: items[-1].update(kind="no-such-kind"), "unknown kind 'no-such-kind'"),
        (lambda items: items[-1].update(citations=[], status="published"), "cite at least one"),
        (lambda items: items[-1]["values"].update(bogus="x"), "not a field of this kind"),
        (lambda items: items.append(dict(items[0])), "duplicate slug"),
    ],
)
def test_a_broken_bank_fails_with_a_clear_message_and_writes_nothing(
    settings, tmp_path, mutate, message
):
    broken = _broken_copy(settings, tmp_path, mutate)
    with pytest.raises(CommandError, match=message):
        call_command("load_content", dir=str(broken))
    assert Fact.objects.count() == 0
    assert Source.objects.count() == 0


def test_read_bank_rejects_a_file_that_is_not_a_list(tmp_path, settings):
    shutil.copytree(settings.CONTENT_BANK_DIR, tmp_path / "bank")
    (tmp_path / "bank" / "topics.yaml").write_text("slug: oops\n")
    from content.bank_io import BankError

    with pytest.raises(BankError, match="expected a list"):
        read_bank(tmp_path / "bank")
