"""The shipped bank's claims: sources with their addresses, a cited source behind every value
a question states, a teaching context per fact, and events and figures with their real shape."""

from __future__ import annotations

import pytest
import yaml
from django.conf import settings


def _bank_file(name: str) -> list[dict]:
    return yaml.safe_load((settings.CONTENT_BANK_DIR / name).read_text())


def test_sources_keep_their_public_address_in_url_and_reference_only_a_local_copy():
    sources = _bank_file("sources.yaml")
    for source in sources:
        reference = source.get("reference", "")
        assert "http" not in reference, source["slug"]
        assert not reference or reference.startswith("shared/seeds/"), source["slug"]
    with_url = [s for s in sources if s.get("url")]
    assert len(with_url) >= 30
    assert all(s["url"].startswith(("https://", "http://")) for s in with_url)
