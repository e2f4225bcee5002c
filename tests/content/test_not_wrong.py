"""A fact's not_wrong values: loaded and dumped with the bank, edited in the admin."""

from __future__ import annotations

import pytest
import yaml
from django.urls import reverse

from content.bank_files import BankFileError, db_to_files, files_to_db
from content.models import Fact
from tests.content.test_admin import _fact_post
from tests.factories import FactKindFactory, SourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_the_shipped_bank_loads_not_wrong_values_typed_by_their_field(settings):
    files_to_db(settings.CONTENT_BANK_DIR)
    assert Fact.objects.get(slug="dialogue-fourth").not_wrong == {"date": ["2022-04-12"]}
    fighter = Fact.objects.get(slug="trade-figure-fighter-jet-deal-2019")
    assert fighter.not_wrong == {"value": ["18", "20"]}


def test_a_not_wrong_value_that_does_not_fit_its_field_is_refused(settings, tmp_path):
    files_to_db(settings.CONTENT_BANK_DIR)
    db_to_files(tmp_path)
    path = tmp_path / "facts" / "dialogue.yaml"
    facts = yaml.safe_load(path.read_text())
    facts[0]["not_wrong"] = {"year": ["not a year"]}
    path.write_text(yaml.safe_dump(facts, allow_unicode=True))
    with pytest.raises(BankFileError, match="not_wrong"):
        files_to_db(tmp_path)


def test_an_editor_sets_not_wrong_values_one_per_line(client, editor):
    kind = FactKindFactory(name="Agreement")
    client.force_login(editor)
    data = _fact_post(kind, TopicFactory(), SourceFactory(), name="COMCASA", year_signed="2018")
    data["notwrong__year_signed"] = "2019\n\n"
    response = client.post(reverse("admin:content_fact_add") + f"?kind={kind.pk}", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Fact.objects.get(slug="new-pact").not_wrong == {"year_signed": [2019]}
