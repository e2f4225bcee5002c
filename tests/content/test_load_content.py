"""load_content / dump_content: idempotent upserts, faithful round trips, clean failures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from content.bank_files import db_to_files, files_to_db, read_files
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
    first = files_to_db(settings.CONTENT_BANK_DIR)
    assert first["fact created"] >= 100
    before = snapshot()
    stamps = dict(Fact.objects.values_list("slug", "updated_at"))
    assert files_to_db(settings.CONTENT_BANK_DIR) == {}
    assert snapshot() == before
    assert dict(Fact.objects.values_list("slug", "updated_at")) == stamps


@pytest.mark.django_db
def test_the_command_reports_an_up_to_date_bank(settings, capsys):
    call_command("load_content")
    call_command("load_content")
    assert "already up to date" in capsys.readouterr().out


@pytest.mark.django_db
def test_dump_writes_the_shipped_files_back_byte_for_byte(settings, tmp_path):
    files_to_db(settings.CONTENT_BANK_DIR)
    db_to_files(tmp_path)
    shipped = Path(settings.CONTENT_BANK_DIR)
    for path in sorted(shipped.rglob("*.yaml")):
        relative = path.relative_to(shipped)
        assert (tmp_path / relative).read_text() == path.read_text(), relative
    assert {p.relative_to(tmp_path) for p in tmp_path.rglob("*.yaml")} == {
        p.relative_to(shipped) for p in shipped.rglob("*.yaml")
    }


@pytest.mark.django_db
def test_an_admin_edit_round_trips_through_dump_and_load(settings, tmp_path):
    files_to_db(settings.CONTENT_BANK_DIR)
    fact = Fact.objects.filter(status=Fact.Status.PUBLISHED).first()
    fact.notes = "Checked against the joint statement."
    fact.save()
    db_to_files(tmp_path)
    # The files now say what the database says: no change, no conflict.
    report = files_to_db(tmp_path)
    assert report == {} and report.conflicts == []
    fact.refresh_from_db()
    assert fact.notes == "Checked against the joint statement."
    # ... and the dumped files are the new baseline: a later file change is loaded.
    path = tmp_path / "facts" / f"{fact.kind.slug}.yaml"
    path.write_text(path.read_text().replace("Checked against", "Re-checked against"))
    assert files_to_db(tmp_path) == {"fact updated": 1}
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


def test_read_files_rejects_a_file_that_is_not_a_list(tmp_path, settings):
    shutil.copytree(settings.CONTENT_BANK_DIR, tmp_path / "bank")
    (tmp_path / "bank" / "topics.yaml").write_text("slug: oops\n")
    from content.bank_files import BankFileError

    with pytest.raises(BankFileError, match="expected a list"):
        read_files(tmp_path / "bank")


@pytest.mark.django_db
def test_claim_level_citations_context_and_urls_round_trip(settings, tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(settings.CONTENT_BANK_DIR, bank)
    facts = yaml.safe_load((bank / "facts" / "agreement.yaml").read_text())
    lemoa = next(f for f in facts if f["slug"] == "agreement-lemoa")
    lemoa["context"] = "Signed in 2016, it lets each side's forces use the other's bases."
    lemoa["citations"][0]["fields"] = ["year_signed"]
    (bank / "facts" / "agreement.yaml").write_text(yaml.safe_dump(facts, sort_keys=False))
    sources = yaml.safe_load((bank / "sources.yaml").read_text())
    sources[0]["url"] = "https://example.org/article"
    (bank / "sources.yaml").write_text(yaml.safe_dump(sources, sort_keys=False))

    files_to_db(bank)
    fact = Fact.objects.get(slug="agreement-lemoa")
    assert fact.context.startswith("Signed in 2016")
    citation = fact.citations.get(source__slug=lemoa["citations"][0]["source"])
    assert citation.fields == ["year_signed"]
    assert citation.supports("year_signed") and not citation.supports("purpose")
    assert Source.objects.get(slug=sources[0]["slug"]).url == "https://example.org/article"
    assert files_to_db(bank) == {}  # a second load changes nothing

    out = tmp_path / "out"
    shutil.copytree(bank, out)
    db_to_files(out)
    dumped = yaml.safe_load((out / "facts" / "agreement.yaml").read_text())
    again = next(f for f in dumped if f["slug"] == "agreement-lemoa")
    assert again["context"] == lemoa["context"]
    assert again["citations"][0]["fields"] == ["year_signed"]


@pytest.mark.django_db
def test_a_citation_of_an_unknown_field_is_refused(settings, tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(settings.CONTENT_BANK_DIR, bank)
    facts = yaml.safe_load((bank / "facts" / "agreement.yaml").read_text())
    facts[0]["citations"][0]["fields"] = ["no_such_field"]
    (bank / "facts" / "agreement.yaml").write_text(yaml.safe_dump(facts, sort_keys=False))
    with pytest.raises(Exception, match="no_such_field"):
        files_to_db(bank)


@pytest.mark.django_db
def test_rows_loaded_before_the_new_keys_are_not_taken_for_edits(settings, tmp_path):
    """Hashes stored before context, url and citation fields existed still match."""
    from content.edits import digest

    # The shipped fact, as files written before those keys existed gave it.
    target = tmp_path / "bank"
    shutil.copytree(settings.CONTENT_BANK_DIR, target)
    path = target / "facts" / "agreement.yaml"
    items = yaml.safe_load(path.read_text())
    for item in items:
        if item["slug"] == "agreement-lemoa":
            item.pop("context", None)
            for citation in item["citations"]:
                citation.pop("fields", None)
    path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False))
    files_to_db(target)
    fact = Fact.objects.get(slug="agreement-lemoa")
    old_state = {
        "kind": fact.kind.slug,
        "topic": fact.topic.slug,
        "status": fact.status,
        "values": fact.values,
        "aliases": fact.aliases,
        "as_of": None,
        "as_of_label": "",
        "notes": fact.notes,
        "citations": sorted([c.source.slug, c.locator] for c in fact.citations.all()),
        "excludes": sorted(fact.excludes.values_list("slug", flat=True)),
    }
    assert fact.loaded_hash == digest(old_state)
