"""Which importer reads which catalogue dataset. Adding a register is one line here.

Entries are dotted paths, imported when used, so that one importer's module failing to import
does not stop the others (or the management command) from working.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from commonground.imports.engine import Importer

_REGISTERS = "commonground.organisations.registers"

IMPORTERS: dict[str, str] = {
    "trafford_charities": f"{_REGISTERS}.trafford_charities.TraffordCharitiesImporter",
    "ccew_register": f"{_REGISTERS}.ccew.CcewRegisterImporter",
    "ccni_register": f"{_REGISTERS}.ccni.CcniRegisterImporter",
    "oscr_register": f"{_REGISTERS}.oscr.OscrRegisterImporter",
    "companies_house": f"{_REGISTERS}.companies_house.CompaniesHouseImporter",
    "coops_uk": f"{_REGISTERS}.coops_uk.CoopsUkImporter",
    "fca_mutuals": f"{_REGISTERS}.fca_mutuals.FcaMutualsImporter",
    "links_charity_company": f"{_REGISTERS}.links.CharityCompanyLinksImporter",
    "links_mutual_company": f"{_REGISTERS}.links.MutualCompanyLinksImporter",
    "gb_lae_codes": f"{_REGISTERS}.councils.CouncilsImporter",  # councils (places reads it too)
}


class UnknownDataset(KeyError):
    pass


def importer_class(dataset: str) -> type[Importer]:
    try:
        path = IMPORTERS[dataset]
    except KeyError:
        raise UnknownDataset(
            f"no importer for dataset {dataset!r}; known: {', '.join(sorted(IMPORTERS))}"
        ) from None
    return import_string(path)


def importer_for(dataset: str) -> Importer:
    return importer_class(dataset)()
