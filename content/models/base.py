"""What every content model shares: history, the hash of the row as the files last gave it, and
the one mapping to plain data (``DataMapped``)."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


def loaded_hash_field() -> models.CharField:
    # How load_content tells an admin edit from a file change: the hash of the row as the
    # files last gave it (see content.bank_files). Not an editable value, and not in history, so
    # reverting to an old version is still an edit since the last load.
    return models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Hash of the row as load_content last wrote it from the files.",
    )


def history_records() -> HistoricalRecords:
    """Who changed what and when, viewable and revertible in the admin."""
    return HistoricalRecords(excluded_fields=["loaded_hash"])


class DataMapped(models.Model):
    """A row's one mapping to plain data, shared by the YAML files (``content.bank_files``)
    and the generator's data (``content.servable``).

    ``DATA_FIELDS`` maps each name the files and the generator use to its model field, in
    the order the files list them. A new plain field is added to the model and here; the
    loader, the dump and the generator's ``from_data`` follow (a generator data class picks
    the names it declares)."""

    DATA_FIELDS: dict[str, str] = {}

    class Meta:
        abstract = True

    def data_fields(self) -> dict:
        return {data: getattr(self, name) for data, name in self.DATA_FIELDS.items()}

    def to_data(self) -> dict:
        """The row as the files hold it (related rows by slug)."""
        return {"slug": self.slug, **self.data_fields()}

    @classmethod
    def fields_from_data(cls, item: dict) -> dict:
        """Model field values from a mapping in the files' form: a missing or empty entry
        takes the field's default. Raises ``ValidationError`` for a value of the wrong type."""
        out = {}
        for data, name in cls.DATA_FIELDS.items():
            field = cls._meta.get_field(name)
            value = item.get(data)
            out[name] = field.to_python(field.get_default() if value in (None, "") else value)
        return out
