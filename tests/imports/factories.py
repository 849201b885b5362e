"""Import runs for tests, written as rows: the engine that makes real ones is tested with real
files (test_readers_and_engine). `uploaded_by=person` makes a person's upload, which is private."""

from __future__ import annotations

import factory

from commonground.imports.models import ImportRun, ImportStatus, RejectedRow


class ImportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRun

    dataset = "trafford_postcodes"
    importer = "tests.imports.factories.ImportRunFactory"
    source = factory.Sequence(lambda n: f"/data/file-{n}.csv")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    status = ImportStatus.SUCCEEDED
    private = factory.LazyAttribute(lambda run: run.uploaded_by is not None)
    uploaded_by = None


class RejectedRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RejectedRow

    run = factory.SubFactory(ImportRunFactory)
    file_name = "file.csv"
    row_number = factory.Sequence(lambda n: n + 2)
    field = "postcode"
    reason = "'NOT A POSTCODE' is not a UK postcode"
    raw = "NOT A POSTCODE"
