"""Read the YAML content bank into the database and write it back.

``files_to_db`` upserts by slug inside one transaction and touches only rows whose content
differs, so loading the same files twice changes nothing. ``db_to_files`` writes the files
``files_to_db`` reads, in a stable order, so admin edits can be reviewed as git diffs.

Admin edits are never overwritten silently. Each loaded row stores ``loaded_hash``, the hash
of its loadable content (its fields, plus a fact's citations and excludes and a conflict's
facts and claims) as the files gave it. When the files and the database disagree, a row whose
content still hashes to ``loaded_hash`` was not touched since the last load: the files
changed, and they win. Otherwise the row was edited since: it is kept and reported as an
``EditConflict`` (file value, database value, who and when from its history) unless
``force``. A row without ``loaded_hash`` (created in the admin, or loaded before hashes
existed) counts as edited when its history holds a change the loader did not make.
"""

from content.bank_files.dump import db_to_files
from content.bank_files.load import files_to_db
from content.bank_files.read import BankFileError, read_files

__all__ = ["BankFileError", "db_to_files", "files_to_db", "read_files"]
