"""Editors' work is never lost: load_content keeps rows edited in the admin since the last
load (and says so), --force overwrites them, dump_content writes them back to the files, and
every change is in a history that can be reverted from the admin."""

from __future__ import annotations

import io
import re
import shutil

import pytest
import yaml
from django import forms
from django.core.management import call_command
from django.urls import reverse

from content.bank_files import files_to_db
from content.models import Fact, QuestionTemplate, Source

pytestmark = pytest.mark.django_db

LEMOA = "agreement-lemoa"


@pytest.fixture
def loaded(settings):
    call_command("load_content", stdout=io.StringIO())


def _form_data(response) -> dict:
    """What the browser submits from an admin change (or history) page: every field of the
    rendered form and of its inline formsets, with the values the page shows."""
    data: dict = {}

    def add(form) -> None:
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            if isinstance(field, forms.BooleanField):
                if value:
                    data[bound.html_name] = "on"
            elif value is None:
                data[bound.html_name] = ""
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets") or []:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def _edit_in_admin(client, obj, **changes) -> None:
    """Change ``obj`` through its real admin change page, as an editor would."""
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    data = _form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_an_admin_edit_survives_load_content_and_is_reported(client, editor, loaded, clock):
    fact = Fact.objects.get(slug=LEMOA)
    client.force_login(editor)
    _edit_in_admin(client, fact, value__year_signed="2017")

    out = io.StringIO()
    call_command("load_content", stdout=out)  # no CommandError: `make run` carries on

    fact.refresh_from_db()
    assert fact.values["year_signed"] == 2017
    report = out.getvalue()
    assert f"conflict: fact {LEMOA} (facts/agreement.yaml)" in report
    assert f"edited by {editor.username} on 2 Mar 2026, 15:30 IST" in report
    assert "values.year_signed: file 2016, database 2017" in report
    assert "kept the database version" in report and "--force" in report
    # Nothing else was edited, so nothing else is reported.
    assert report.count("conflict:") == 1


def test_force_overwrites_an_admin_edit_with_the_files(client, editor, loaded):
    fact = Fact.objects.get(slug=LEMOA)
    client.force_login(editor)
    _edit_in_admin(client, fact, value__year_signed="2017")

    out = io.StringIO()
    call_command("load_content", force=True, stdout=out)

    fact.refresh_from_db()
    assert fact.values["year_signed"] == 2016
    assert "overwrote it with the files' version" in out.getvalue()
    # The files' version is the new baseline: the next load has nothing to say.
    out = io.StringIO()
    call_command("load_content", stdout=out)
    assert "already up to date" in out.getvalue()


def test_a_file_change_to_a_row_nobody_edited_is_loaded(settings, tmp_path, loaded):
    bank = tmp_path / "bank"
    shutil.copytree(settings.CONTENT_BANK_DIR, bank)
    path = bank / "facts" / "agreement.yaml"
    path.write_text(path.read_text().replace("    year_signed: 2016\n", "    year_signed: 2015\n"))

    out = io.StringIO()
    call_command("load_content", dir=str(bank), stdout=out)

    assert Fact.objects.get(slug=LEMOA).values["year_signed"] == 2015
    assert "conflict" not in out.getvalue()


def test_an_edit_outside_the_admin_is_a_conflict_by_an_unknown_editor(loaded):
    fact = Fact.objects.get(slug=LEMOA)
    Fact.objects.filter(pk=fact.pk).update(notes="typed in a shell")

    out = io.StringIO()
    call_command("load_content", stdout=out)

    fact.refresh_from_db()
    assert fact.notes == "typed in a shell"
    assert "edited outside the admin (no history)" in out.getvalue()


def test_the_history_shows_who_changed_what_and_reverts_it(client, editor, loaded):
    fact = Fact.objects.get(slug=LEMOA)
    client.force_login(editor)
    _edit_in_admin(client, fact, value__year_signed="2017")
    history_url = reverse("admin:content_fact_history", args=[fact.pk])
    html = client.get(history_url).content.decode()
    assert editor.username in html

    # The history page links each version to its revert page; the oldest is the load.
    links = re.findall(rf'href="({history_url}\d+/)"', html)
    assert len(links) == 2
    revert_url = links[-1]
    page = client.get(revert_url)
    assert page.status_code == 200
    data = _form_data(page)
    assert data["value__year_signed"] == "2016"
    response = client.post(revert_url, data)
    assert response.status_code == 302

    fact.refresh_from_db()
    assert fact.values["year_signed"] == 2016
    assert fact.history.count() == 3
    assert fact.history.first().history_user == editor


def test_templates_and_sources_keep_a_history_with_the_editor(client, editor, loaded):
    client.force_login(editor)
    template = QuestionTemplate.objects.get(slug="agreement-year")
    _edit_in_admin(client, template, difficulty="3")
    source = Source.objects.order_by("slug").first()
    _edit_in_admin(client, source, publisher="Renamed Publisher")
    for obj in (template, source):
        latest = obj.history.first()
        assert latest.history_user == editor and latest.history_type == "~"
        assert obj.history.count() == 2


@pytest.mark.parametrize("path", ["abc/history/", "1/history/abc/", "abc/history/1/"])
def test_a_non_numeric_id_in_a_history_url_is_a_404(client, editor, loaded, path):
    client.force_login(editor)
    assert client.get(f"/admin/content/fact/{path}").status_code == 404


def test_dump_writes_an_admin_edit_back_to_the_files(client, editor, loaded, tmp_path):
    fact = Fact.objects.get(slug=LEMOA)
    client.force_login(editor)
    _edit_in_admin(client, fact, value__year_signed="2017")

    call_command("dump_content", dir=str(tmp_path), stdout=io.StringIO())

    items = yaml.safe_load((tmp_path / "facts" / "agreement.yaml").read_text())
    assert next(i for i in items if i["slug"] == LEMOA)["values"]["year_signed"] == 2017
    # The files now hold the edit: loading them is no conflict, and changes nothing.
    out = io.StringIO()
    call_command("load_content", dir=str(tmp_path), stdout=out)
    assert "already up to date" in out.getvalue()
    fact.refresh_from_db()
    assert fact.values["year_signed"] == 2017


def test_a_row_created_in_the_admin_then_added_to_the_files_is_not_overwritten(
    client, editor, settings, tmp_path
):
    files_to_db(settings.CONTENT_BANK_DIR)
    client.force_login(editor)
    template = QuestionTemplate.objects.get(slug="agreement-year")
    add = reverse("admin:content_questiontemplate_add")
    data = _form_data(
        client.get(reverse("admin:content_questiontemplate_change", args=[template.pk]))
    )
    data.update(slug="agreement-year-admin", stem="Which year saw the {name} signed?")
    assert client.post(add, data).status_code == 302

    bank = tmp_path / "bank"
    shutil.copytree(settings.CONTENT_BANK_DIR, bank)
    templates = bank / "templates.yaml"
    templates.write_text(
        templates.read_text()
        + "- slug: agreement-year-admin\n  kind: agreement\n  stem: When was the {name} signed?\n"
        "  answer: year_signed\n  distractors: nearby\n  explanation: '{name}: {year_signed}.'\n"
    )
    out = io.StringIO()
    call_command("load_content", dir=str(bank), stdout=out)
    assert "conflict: questiontemplate agreement-year-admin" in out.getvalue()
    assert QuestionTemplate.objects.get(slug="agreement-year-admin").stem.startswith("Which year")


def test_an_editor_says_which_fields_a_citation_supports(client, editor, loaded):
    client.force_login(editor)
    fact = Fact.objects.get(slug="agreement-lemoa")
    url = f"/admin/content/fact/{fact.pk}/change/"
    data = _form_data(client.get(url))
    data["citations-0-fields"] = "year_signed, name"
    response = client.post(url, data)
    assert response.status_code == 302
    assert sorted(fact.citations.order_by("pk").first().fields) == ["name", "year_signed"]
    data["citations-0-fields"] = "no_such_field"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Not fields of this kind: no_such_field." in refused.content.decode()
